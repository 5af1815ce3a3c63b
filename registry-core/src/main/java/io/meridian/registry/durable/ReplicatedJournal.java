package io.meridian.registry.durable;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.MultiExecutionCallback;
import io.meridian.registry.RegistryUnavailableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The writer's side of durability: after a write is committed, its changed values go to every data member's journal,
 * and the write returns once a majority of them has forced them to disk, as etcd acknowledges once a majority has
 * fsynced its log. Works from a member or a client.
 *
 * <p>Each write is encoded once, by its writer thread. One sender thread ships what the writers queued as one task per
 * member, with at most {@link #IN_FLIGHT} shipments under way: under load, the writes that queue while those travel go
 * together in the next, so many writes share one round trip and one {@code fdatasync} per member. A shipment stops
 * counting against that bound once a majority has stored it, so one slow member does not hold writes back. Each write
 * also records how many members were asked ({@link #MEMBERS_KEY}), so that a cold start knows how many members' disks
 * make a majority. Thread-safe; {@link #close()} stops the sender.
 */
public final class ReplicatedJournal implements AutoCloseable {

    /** The executor that carries the batches; members size it for the shipments in flight. */
    public static final String EXECUTOR = "meridian-journal";
    /** The key under which each batch records how many members it was sent to. */
    public static final String MEMBERS_KEY = "cluster/members";

    private static final int IN_FLIGHT = 4;
    private static final int MAX_BATCHES_PER_SHIPMENT = 512;

    private final HazelcastInstance hazelcast;
    private final Duration timeout;
    private final JournalCodec codec;
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final Thread sender;

    /** @param codec the form of the batches, the one every member's {@link DiskJournal} reads */
    public ReplicatedJournal(HazelcastInstance hazelcast, Duration timeout, JournalCodec codec) {
        this.hazelcast = hazelcast;
        this.timeout = timeout;
        this.codec = codec;
        this.sender = new Thread(this::sendLoop, "meridian-journal-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Returns once a majority of the data members has the changes on disk.
     *
     * @throws RegistryUnavailableException if no majority had them within the timeout: the change is committed but not
     *                                      acknowledged, and may be lost if every member stops before it is written
     *                                      again
     */
    public void persist(Map<String, VersionedValue> changes) {
        send(changes).await(System.nanoTime() + timeout.toNanos());
    }

    /**
     * Puts the changes on their way to the members' disks and returns at once, so the writer can do other work while
     * they travel; {@link Shipment#await} waits for a majority.
     */
    public Shipment send(Map<String, VersionedValue> changes) {
        int members = dataMembers().size();
        long index = changes.values().stream().mapToLong(VersionedValue::index).max().orElse(0);
        Map<String, VersionedValue> batch = new HashMap<>(changes);
        batch.put(MEMBERS_KEY, new VersionedValue(index, members));
        Queued queued = new Queued(codec.encode(batch), new CompletableFuture<>());
        queue.add(queued);
        return new Shipment(members, queued.stored(), timeout);
    }

    /** Changes on their way to a majority of {@code members} disks. */
    public record Shipment(int members, CompletableFuture<Void> stored, Duration timeout) {

        /**
         * Returns once a majority of the data members has the changes on disk, waiting until
         * {@code deadlineNanos} ({@link System#nanoTime()}) or the journal's timeout, whichever comes first: a write
         * whose commit took most of its time has only the rest of it.
         *
         * @throws RegistryUnavailableException if no majority had them by then: the change is committed but not
         *                                      acknowledged
         */
        public void await(long deadlineNanos) {
            long waitNanos = Math.max(0, Math.min(deadlineNanos - System.nanoTime(), timeout.toNanos()));
            try {
                stored.get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new RegistryUnavailableException("the write is committed, but no majority of the " + members
                        + " members put it on disk within " + TimeUnit.NANOSECONDS.toMillis(waitNanos)
                        + " ms; it is not acknowledged", e);
            } catch (ExecutionException e) {
                throw new RegistryUnavailableException("the write is committed, but no majority of the members put it"
                        + " on disk: " + e.getCause() + "; it is not acknowledged", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while the write was put on disk", e);
            }
        }
    }

    private List<Member> dataMembers() {
        return hazelcast.getCluster().getMembers().stream().filter(member -> !member.isLiteMember()).toList();
    }

    private void sendLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                inFlight.acquire();
                List<Queued> shipment = new ArrayList<>();
                shipment.add(queue.take());
                queue.drainTo(shipment, MAX_BATCHES_PER_SHIPMENT - 1);
                ship(shipment);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the shipment to every data member; completes its writes once a majority has stored it. */
    private void ship(List<Queued> shipment) {
        List<Member> members = dataMembers();
        int majority = members.size() / 2 + 1;
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                inFlight.release();
            }
        };
        List<byte[]> batches = shipment.stream().map(Queued::encoded).toList();
        try {
            hazelcast.getExecutorService(EXECUTOR).submitToMembers(new JournalAppend(batches), members,
                    new MultiExecutionCallback() {
                        @Override
                        public void onResponse(Member member, Object value) {
                            boolean ok = !(value instanceof Throwable);
                            if (ok && stored.incrementAndGet() == majority) {
                                shipment.forEach(write -> write.stored().complete(null));
                                release.run();
                            }
                            if (answered.incrementAndGet() == members.size()) {
                                release.run();
                                if (stored.get() < majority) {
                                    RegistryUnavailableException failure = new RegistryUnavailableException(
                                            stored.get() + " of " + members.size() + " members stored the write",
                                            value instanceof Throwable problem ? problem : null);
                                    shipment.forEach(write -> write.stored().completeExceptionally(failure));
                                }
                            }
                        }

                        @Override
                        public void onComplete(Map<Member, Object> values) {
                        }
                    });
        } catch (RuntimeException e) {
            release.run();
            shipment.forEach(write -> write.stored().completeExceptionally(e));
        }
    }

    /** Stops the sender; writes still queued fail as unavailable. */
    @Override
    public void close() {
        sender.interrupt();
        Queued left;
        while ((left = queue.poll()) != null) {
            left.stored().completeExceptionally(new RegistryUnavailableException("the registry was closed", null));
        }
    }

    private record Queued(byte[] encoded, CompletableFuture<Void> stored) {
    }
}
