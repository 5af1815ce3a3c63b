package io.meridian.registry.durable;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.MultiExecutionCallback;
import io.meridian.registry.RegistryUnavailableException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The writer's side of durability: after a write is committed, it sends the changed values to every data member's
 * journal and returns once a majority of them has forced the batch to disk, as etcd acknowledges once a majority has
 * fsynced its log. Works from a member or a client. Each batch also records how many members were asked
 * ({@link #MEMBERS_KEY}), so that a cold start knows how many members' disks make a majority. Thread-safe.
 */
public final class ReplicatedJournal {

    /** The executor that carries the batches; members size it for many concurrent writers. */
    public static final String EXECUTOR = "meridian-journal";
    /** The key under which each batch records how many members it was sent to. */
    public static final String MEMBERS_KEY = "cluster/members";

    private final HazelcastInstance hazelcast;
    private final Duration timeout;

    public ReplicatedJournal(HazelcastInstance hazelcast, Duration timeout) {
        this.hazelcast = hazelcast;
        this.timeout = timeout;
    }

    /**
     * Returns once a majority of the data members has the batch on disk.
     *
     * @throws RegistryUnavailableException if no majority had it within the timeout: the change is committed but not
     *                                      acknowledged, and may be lost if every member stops before it is written
     *                                      again
     */
    public void persist(Map<String, VersionedValue> changes) {
        List<Member> members = hazelcast.getCluster().getMembers().stream()
                .filter(member -> !member.isLiteMember()).toList();
        long index = changes.values().stream().mapToLong(VersionedValue::index).max().orElse(0);
        Map<String, VersionedValue> batch = new HashMap<>(changes);
        batch.put(MEMBERS_KEY, new VersionedValue(index, members.size()));
        int majority = members.size() / 2 + 1;
        CountDownLatch stored = new CountDownLatch(majority);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        hazelcast.getExecutorService(EXECUTOR).submitToMembers(new JournalAppend(batch), members,
                new MultiExecutionCallback() {
                    @Override
                    public void onResponse(Member member, Object value) {
                        if (value instanceof Throwable problem) {
                            failure.set(problem);
                            failed.incrementAndGet();
                        } else {
                            stored.countDown();
                        }
                    }

                    @Override
                    public void onComplete(Map<Member, Object> values) {
                    }
                });
        try {
            if (!stored.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RegistryUnavailableException("the write is committed, but " + failed.get() + " of "
                        + members.size() + " members failed to put it on disk and the others did not answer within "
                        + timeout.toMillis() + " ms; it is not acknowledged", failure.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while the write was put on disk", e);
        }
    }
}
