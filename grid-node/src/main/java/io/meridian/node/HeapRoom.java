package io.meridian.node;

import io.meridian.registry.RegistrationAdmission;
import io.meridian.registry.RegistryFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Refuses registrations while the heap's long-lived generation is nearly full, so that a flood of them ends in
 * refusals a client can act on instead of an {@link OutOfMemoryError}, on which Hazelcast stops the member (and a dev
 * cluster, all three). Every member holds the whole registry, so one member's heap speaks for the cluster's.
 *
 * <p>The heap is judged as the JVM's own low-memory detection judges it: by what the last collection of the old
 * generation left in it (G1's old regions, the serial and parallel collectors' tenured space), against the most that
 * generation may hold. At {@value #FULL_PERCENT}% or more, registrations are refused; deregistrations, check updates
 * and reads go on. A full old generation is collected only when it fills again, which refused registrations do not
 * make it do, so while refusing this asks the JVM for a collection at most every {@link #COLLECTION_EVERY}: that is
 * what sees the room deregistrations made. The member's own registrations only: an SDK client that registers through
 * the grid is not asked. Thread-safe.
 */
final class HeapRoom implements RegistrationAdmission {

    static final int FULL_PERCENT = 85;
    static final Duration COLLECTION_EVERY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(HeapRoom.class);

    private final String nodeName;
    private final Supplier<List<MemoryUsage>> afterLastCollection;
    private final Runnable collect;
    private final LongSupplier nanoTime;
    private final AtomicLong lastCollectionAsked;
    private final AtomicBoolean refusing = new AtomicBoolean();

    /**
     * @param afterLastCollection each long-lived heap pool's usage after its last collection, its most as max
     * @param collect             asks for a collection, returning before it is done
     */
    HeapRoom(String nodeName, Supplier<List<MemoryUsage>> afterLastCollection, Runnable collect,
             LongSupplier nanoTime) {
        this.nodeName = nodeName;
        this.afterLastCollection = afterLastCollection;
        this.collect = collect;
        this.nanoTime = nanoTime;
        this.lastCollectionAsked = new AtomicLong(nanoTime.getAsLong() - COLLECTION_EVERY.toNanos());
    }

    /**
     * This JVM's heap: the heap pools that support a usage threshold are its long-lived ones (the young pools do
     * not); a collection is asked for on a thread of its own.
     */
    static HeapRoom ofThisJvm(String nodeName) {
        List<MemoryPoolMXBean> longLived = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()
                        && pool.isCollectionUsageThresholdSupported())
                .toList();
        return new HeapRoom(nodeName,
                () -> longLived.stream().map(MemoryPoolMXBean::getCollectionUsage).toList(),
                HeapRoom::collectInBackground, System::nanoTime);
    }

    private static void collectInBackground() {
        Thread collection = new Thread(System::gc, "meridian-heap-room");
        collection.setDaemon(true);
        collection.start();
    }

    @Override
    public void requireRoom() {
        MemoryUsage fullest = null;
        for (MemoryUsage pool : afterLastCollection.get()) {
            if (pool != null && pool.getMax() > 0 && pool.getUsed() * 100 >= pool.getMax() * FULL_PERCENT) {
                fullest = pool;
            }
        }
        if (fullest == null) {
            if (refusing.compareAndSet(true, false)) {
                LOG.info("node {}: its heap has room again; registrations are taken", nodeName);
            }
            return;
        }
        if (refusing.compareAndSet(false, true)) {
            LOG.warn("node {}: {}; registrations are refused until it is under {}%", nodeName, describe(fullest),
                    FULL_PERCENT);
        }
        askForCollection();
        throw new RegistryFullException("node " + nodeName + " takes no registrations while its heap is nearly full ("
                + describe(fullest) + "; the bound is " + FULL_PERCENT + "%). Nothing was written. Deregister"
                + " instances, or restart the members one at a time with more heap; lookups, deregistrations and check"
                + " updates go on");
    }

    private void askForCollection() {
        long asked = lastCollectionAsked.get();
        long now = nanoTime.getAsLong();
        if (now - asked >= COLLECTION_EVERY.toNanos() && lastCollectionAsked.compareAndSet(asked, now)) {
            collect.run();
        }
    }

    private static String describe(MemoryUsage pool) {
        return pool.getUsed() * 100 / pool.getMax() + "% of the old generation's " + (pool.getMax() >> 20)
                + " MiB in use after its last collection";
    }
}
