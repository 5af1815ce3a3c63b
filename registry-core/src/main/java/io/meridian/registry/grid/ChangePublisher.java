package io.meridian.registry.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.meridian.registry.ChangeEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
 * <p>Between a slice's change and its event's append the event is held only here: a member that dies in those
 * milliseconds loses it. A member that falls {@link #QUEUE_CAPACITY} events behind drops new ones and counts them in
 * {@link #dropped()}. {@link #close()} stops listening and publishing; what is queued then is lost.
 */
public final class ChangePublisher implements AutoCloseable {

    static final int QUEUE_CAPACITY = 100_000;
    private static final int BATCH = 1_000;
    private static final long APPEND_TIMEOUT_SECONDS = 10;
    private static final long RETRY_MILLIS = 500;
    private static final Logger LOG = Logger.getLogger(ChangePublisher.class.getName());

    private final IMap<String, ServiceSlice> slices;
    private final Ringbuffer<ChangeEvent> ring;
    private final BlockingQueue<ChangeEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final UUID listener;
    private final Thread appender;
    private volatile boolean closed;

    public ChangePublisher(HazelcastInstance member) {
        this.slices = member.getMap(GridNames.SLICES_MAP);
        this.ring = member.getRingbuffer(GridNames.CHANGE_EVENTS);
        this.listener = slices.addLocalEntryListener(new SliceListener());
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
        slices.removeEntryListener(listener);
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
