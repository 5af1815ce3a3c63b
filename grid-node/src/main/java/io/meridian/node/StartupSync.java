package io.meridian.node;

import io.meridian.operator.ClusterState;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.durable.DiskJournal;
import io.meridian.registry.durable.ReplicatedJournal;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RestoreProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Brings this member's disk and the cluster's committed state together when the node starts, on a thread of its own.
 * <ul>
 *     <li>If the cluster takes writes already, the member joined a running cluster: its disk may be stale or empty (a
 *     replaced disk), so it copies the cluster's committed state into its journal and is done.</li>
 *     <li>Otherwise the CP Subsystem started empty, a cold start: the member merges what its disk holds into the
 *     committed state (part by part the higher index wins, so members may merge in any order) and marks itself
 *     merged. Writes open once disks with data from a majority of the largest cluster any merged disk recorded have
 *     merged, which, since a write is acknowledged once a majority has it on disk, includes every acknowledged write;
 *     or once every expected member has merged (see
 *     {@link io.meridian.registry.grid.RestoreGate#markMerged}). Until then writes answer 503; reads answer from the
 *     projection the merges fill, but only once this member's own disk has merged ({@link ColdStartReads}): before,
 *     its projection may be empty.</li>
 * </ul>
 * Without a journal the member merges nothing: it counts as a member with an empty disk.
 */
final class StartupSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StartupSync.class);
    private static final Duration RETRY = Duration.ofMillis(200);

    private final HazelcastRegistry registry;
    private final ClusterState state;
    private final Optional<DiskJournal> journal;
    private final String nodeName;
    private final int cpMemberCount;
    private final CountDownLatch writesOpen = new CountDownLatch(1);
    private final CountDownLatch inSync = new CountDownLatch(1);
    private volatile boolean diskMerged;
    private final Thread worker;

    StartupSync(HazelcastRegistry registry, ClusterState state, Optional<DiskJournal> journal, String nodeName,
                int cpMemberCount) {
        this.registry = registry;
        this.state = state;
        this.journal = journal;
        this.nodeName = nodeName;
        this.cpMemberCount = cpMemberCount;
        this.worker = new Thread(this::run, "meridian-startup-sync");
        worker.setDaemon(true);
    }

    StartupSync start() {
        worker.start();
        return this;
    }

    /** Waits until this node has seen the cluster take writes; false if the timeout ran out first. */
    boolean awaitWritesOpen(Duration timeout) throws InterruptedException {
        return writesOpen.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether this node's reads may answer: once its own disk has merged into the cluster's state (its projection then
     * holds at least what that disk held, and fills further as other disks merge), or once it has seen the cluster
     * take writes (it joined a running cluster, or the cold start has merged every acknowledged write).
     */
    boolean readsOpen() {
        return diskMerged || writesOpen.getCount() == 0;
    }

    /**
     * Waits until the cluster takes writes and this member's disk holds the cluster's state; false if the timeout ran
     * out first.
     */
    boolean awaitInSync(Duration timeout) throws InterruptedException {
        return inSync.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        long started = System.nanoTime();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (step()) {
                        LOG.info("node {} in sync with the cluster after {} ms", nodeName,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                        inSync.countDown();
                        return;
                    }
                } catch (RegistryUnavailableException e) {
                    LOG.debug("waiting for the CP Subsystem to sync with: {}", e.getMessage());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    LOG.error("node {} cannot merge its data directory into this cluster, which keeps taking no"
                            + " writes until a majority of members has: {}", nodeName, e.getMessage());
                    return;
                }
                Thread.sleep(RETRY.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One look at the cluster; true once there is nothing left to do. */
    private boolean step() {
        Optional<RestoreProgress> progress = registry.restoreGate().progress();
        if (progress.isPresent() && progress.get().open()) {
            writesOpen.countDown();
            catchUp();
            return true;
        }
        if (progress.isEmpty() || !progress.get().merged().contains(nodeName)) {
            Map<String, VersionedValue> disk = journal.isPresent() ? readDisk(journal.get()) : Map.of();
            long started = System.nanoTime();
            int parts = state.merge(disk);
            int expected = Math.max(cpMemberCount, recordedClusterSize(disk));
            boolean hadData = disk.keySet().stream().anyMatch(key -> !key.equals(ReplicatedJournal.MEMBERS_KEY));
            RestoreProgress after = registry.restoreGate().markMerged(nodeName, hadData, expected / 2 + 1, expected);
            diskMerged = true;
            LOG.info("cold start: node {} merged its disk ({} of its service parts were newer than the cluster's) in"
                    + " {} ms; disks with data merged: {} of the {} a majority needs; members merged: {} of {};"
                    + " writes {}", nodeName, parts, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    after.withData().size(), after.quorum(), after.merged().size(), after.expected(),
                    after.open() ? "open" : "still closed");
        }
        return false;
    }

    private static Map<String, VersionedValue> readDisk(DiskJournal disk) {
        try {
            return disk.state();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + disk.directory() + ": " + e.getMessage(), e);
        }
    }

    /** How many members the cluster had at the last write this disk holds; 0 if none. */
    private static int recordedClusterSize(Map<String, VersionedValue> disk) {
        VersionedValue recorded = disk.get(ReplicatedJournal.MEMBERS_KEY);
        return recorded != null && recorded.value() instanceof Integer count ? count : 0;
    }

    /** Copies the cluster's committed state into this member's journal, where it is newer. */
    private void catchUp() {
        if (journal.isEmpty()) {
            return;
        }
        Map<String, VersionedValue> cluster = new HashMap<>(state.committed());
        Map<String, VersionedValue> held = readDisk(journal.get());
        cluster.entrySet().removeIf(entry -> held.containsKey(entry.getKey())
                && held.get(entry.getKey()).index() >= entry.getValue().index());
        if (!cluster.isEmpty()) {
            try {
                journal.get().append(cluster).get();
            } catch (ExecutionException e) {
                throw new RegistryUnavailableException("could not copy the cluster's state to disk: " + e.getCause(),
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LOG.info("node {} copied {} values of the cluster's state to its disk", nodeName, cluster.size());
        }
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
