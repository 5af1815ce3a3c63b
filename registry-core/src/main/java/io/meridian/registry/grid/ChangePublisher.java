package io.meridian.registry.grid;

import com.hazelcast.cluster.MembershipAdapter;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.cluster.MembershipAdapter;
import com.hazelcast.cluster.MembershipEvent;
import io.meridian.registry.ChangeEvent;
import io.meridian.registry.ChangeType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns this member's changes to the projection into change events. It listens to the slices this member owns, so
 * each change is published once, by the member that applied it, whether a write or anti-entropy moved the slice; one
 * thread appends the events, in the order they were applied here, to the replicated ring buffer
 * {@link GridNames#CHANGE_EVENTS}, retrying until the ring buffer takes them. An instance's changes all pass through
 * one slice, so they are published in index order.
 *
 * <p>Between a slice's change and its event's append the event is held only here. So when a member leaves, each
 * member publishes again, {@link #REPUBLISH_AFTER} later (once the partitions it took over are its own), the
 * registrations and updates of the last {@link #RECENT} in the slices it now owns: the events the one that left may
 * have held are among them, and the others come twice, with the same ids. A deregistration held by the member that
 * left is lost: the slice no longer names the instance. A member that falls {@link #QUEUE_CAPACITY} events behind
 * drops new ones and counts them in {@link #dropped()}. {@link #close()} stops listening and publishing; what is
 * queued then is lost.
 */
public final class ChangePublisher implements AutoCloseable {

    static final int QUEUE_CAPACITY = 100_000;
    /** How far back a member publishes again when another leaves: longer than failure detection takes to notice. */
    static final Duration RECENT = Duration.ofSeconds(30);
    static final Duration REPUBLISH_AFTER = Duration.ofSeconds(2);
    private static final int BATCH = 1_000;
    private static final long APPEND_TIMEOUT_SECONDS = 10;
    private static final long RETRY_MILLIS = 500;
    private static final Logger LOG = Logger.getLogger(ChangePublisher.class.getName());

    private final HazelcastInstance member;
    private final IMap<String, ServiceSlice> slices;
    private final Ringbuffer<ChangeEvent> ring;
    private final BlockingQueue<ChangeEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final UUID listener;
    private final UUID membershipListener;
    private final ScheduledExecutorService republisher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meridian-change-republisher");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread appender;
    private volatile boolean closed;

    public ChangePublisher(HazelcastInstance member) {
        this.member = member;
        this.slices = member.getMap(GridNames.SLICES_MAP);
        this.ring = member.getRingbuffer(GridNames.CHANGE_EVENTS);
        this.listener = slices.addLocalEntryListener(new SliceListener());
        this.membershipListener = member.getCluster().addMembershipListener(new MembershipAdapter() {
            @Override
            public void memberRemoved(MembershipEvent event) {
                long sinceMicros = (System.currentTimeMillis() - RECENT.toMillis()) * 1_000;
                republisher.schedule(() -> republishSince(sinceMicros), REPUBLISH_AFTER.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        });
        this.appender = new Thread(this::appendForever, "meridian-change-publisher");
        appender.setDaemon(true);
        appender.start();
    }

    /** Events dropped because the queue was full since this member started. */
    public long dropped() {
        return dropped.get();
    }

    /** Events waiting to be appended. */
    public int queued() {
        return queue.size();
    }

    private void heard(String sliceKey, ServiceSlice before, ServiceSlice after) {
        for (ChangeEvent event : SliceChanges.between(sliceKey, before, after)) {
            if (!queue.offer(event)) {
                dropped.incrementAndGet();
            }
        }
    }

    /**
     * Queues again the registrations and updates with an index from {@code sinceMicros} on (indexes are the wall
     * clock's microseconds) in the slices this member owns.
     */
    private void republishSince(long sinceMicros) {
        try {
            Set<String> owned = slices.localKeySet();
            slices.getAll(owned).forEach((sliceKey, slice) -> {
                for (ChangeEvent event : SliceChanges.between(sliceKey, null, slice)) {
                    if (event.index() >= sinceMicros && !queue.offer(asLastChange(event))) {
                        dropped.incrementAndGet();
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not publish the recent changes again after a member left", e);
        }
    }

    /** A slice read whole makes every instance a registration: one changed since is an update, as first published. */
    private static ChangeEvent asLastChange(ChangeEvent event) {
        boolean updated = event.state().createIndex() != event.state().modifyIndex();
        return updated ? new ChangeEvent(event.index(), ChangeType.UPDATED, event.namespace(), event.service(),
                event.instance(), event.state()) : event;
    }

    private void appendForever() {
        List<ChangeEvent> batch = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                if (batch.isEmpty()) {
                    batch.add(queue.take());
                    queue.drainTo(batch, BATCH - 1);
                }
                ring.addAllAsync(batch, OverflowPolicy.OVERWRITE).toCompletableFuture()
                        .get(APPEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "could not append " + batch.size() + " change events; retrying", e);
                    sleepBeforeRetry();
                }
            }
        }
    }

    private void sleepBeforeRetry() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        republisher.shutdownNow();
        if (member.getLifecycleService().isRunning()) {
            slices.removeEntryListener(listener);
            member.getCluster().removeMembershipListener(membershipListener);
        }
        appender.interrupt();
    }

    /** Hears the slices this member owns as they change. */
    private final class SliceListener implements EntryAddedListener<String, ServiceSlice>,
            EntryUpdatedListener<String, ServiceSlice> {

        @Override
        public void entryAdded(EntryEvent<String, ServiceSlice> event) {
            heard(event.getKey(), null, event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, ServiceSlice> event) {
            heard(event.getKey(), event.getOldValue(), event.getValue());
        }
    }
}
