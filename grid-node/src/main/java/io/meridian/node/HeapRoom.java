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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Refuses registrations while the heap's long-lived generation is nearly full, so that a flood of them ends in
 * refusals a client can act on instead of an {@link OutOfMemoryError}, on which Hazelcast stops the member (and a dev
 * cluster, all three). Every member holds a copy of every registration, so a full member reports itself to the
 * cluster ({@link io.meridian.registry.grid.FullMembers}), whose nodes and SDK clients then refuse registrations too,
 * whichever member they write through.
 *
 * <p>The heap is judged as the JVM's own low-memory detection judges it: by what the last collection of the old
 * generation left in it (G1's old regions, the serial and parallel collectors' tenured space), against the most that
 * generation may hold. At {@value #FULL_PERCENT}% or more, registrations are refused; deregistrations, check updates
 * and reads go on. The node's own registrations ask it each time; every {@link #LOOK_EVERY} it also looks by itself and
 * reports a change to the cluster (again, should a report fail). A full old generation is collected only when it
 * fills again, which refused registrations do not make it do, so while full this asks the JVM for a collection at most
 * every {@link #COLLECTION_EVERY}: that is what sees the room deregistrations made. Thread-safe; {@link #close()}
 * stops looking.
 */
final class HeapRoom implements RegistrationAdmission, AutoCloseable {

    static final int FULL_PERCENT = 85;
    static final Duration COLLECTION_EVERY = Duration.ofSeconds(15);
    static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(HeapRoom.class);

    private final String nodeName;
    private final Supplier<List<MemoryUsage>> afterLastCollection;
    private final Runnable collect;
    private final LongSupplier nanoTime;
    private final Consumer<Optional<String>> report;
    private final AtomicLong lastCollectionAsked;
    private final AtomicBoolean refusing = new AtomicBoolean();
    /** Whether the cluster was last told this node is full; null before the first report. Written by looks only. */
    private Boolean reportedFull;
    private final ScheduledExecutorService looks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meridian-heap-room");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param afterLastCollection each long-lived heap pool's usage after its last collection, its most as max
     * @param collect             asks for a collection, returning before it is done
     * @param report              tells the cluster this node is full, and why, or (empty) that it has room
     */
    HeapRoom(String nodeName, Supplier<List<MemoryUsage>> afterLastCollection, Runnable collect,
             LongSupplier nanoTime, Consumer<Optional<String>> report) {
        this.nodeName = nodeName;
        this.afterLastCollection = afterLastCollection;
        this.collect = collect;
        this.nanoTime = nanoTime;
        this.report = report;
        this.lastCollectionAsked = new AtomicLong(nanoTime.getAsLong() - COLLECTION_EVERY.toNanos());
    }

    /**
     * This JVM's heap: the heap pools that support a usage threshold are its long-lived ones (the young pools do
     * not); a collection is asked for on a thread of its own.
     */
    static HeapRoom ofThisJvm(String nodeName, Consumer<Optional<String>> report) {
        List<MemoryPoolMXBean> longLived = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()
                        && pool.isCollectionUsageThresholdSupported())
                .toList();
        return new HeapRoom(nodeName,
                () -> longLived.stream().map(MemoryPoolMXBean::getCollectionUsage).toList(),
                HeapRoom::collectInBackground, System::nanoTime, report);
    }

    private static void collectInBackground() {
        Thread collection = new Thread(System::gc, "meridian-heap-room-collection");
        collection.setDaemon(true);
        collection.start();
    }

    /** Starts looking every {@link #LOOK_EVERY}. */
    HeapRoom start() {
        looks.scheduleWithFixedDelay(this::look, 0, LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void requireRoom() {
        Optional<String> full = judge();
        if (full.isPresent()) {
            askForCollection();
            throw RegistryFullException.heapFull("node " + nodeName, full.get());
        }
    }

    /** One look: judges the heap, asks for a collection while full, and tells the cluster what changed. */
    void look() {
        Optional<String> full = judge();
        full.ifPresent(why -> askForCollection());
        if (reportedFull != null && reportedFull == full.isPresent()) {
            return;
        }
        try {
            report.accept(full);
            reportedFull = full.isPresent();
        } catch (RuntimeException e) {
            LOG.warn("node {}: could not tell the cluster its heap is {}; trying again in {}", nodeName,
                    full.isPresent() ? "full" : "no longer full", LOOK_EVERY, e);
        }
    }

    /** Why the heap is full, if it is; logs each change. */
    private Optional<String> judge() {
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
            return Optional.empty();
        }
        String why = fullest.getUsed() * 100 / fullest.getMax() + "% of the old generation's "
                + (fullest.getMax() >> 20) + " MiB in use after its last collection; the bound is " + FULL_PERCENT
                + "%";
        if (refusing.compareAndSet(false, true)) {
            LOG.warn("node {}: {}; registrations are refused until it is under the bound", nodeName, why);
        }
        return Optional.of(why);
    }

    private void askForCollection() {
        long asked = lastCollectionAsked.get();
        long now = nanoTime.getAsLong();
        if (now - asked >= COLLECTION_EVERY.toNanos() && lastCollectionAsked.compareAndSet(asked, now)) {
            collect.run();
        }
    }

    @Override
    public void close() {
        looks.shutdownNow();
    }
}
