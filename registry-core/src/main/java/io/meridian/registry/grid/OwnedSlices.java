package io.meridian.registry.grid;

import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.query.Predicates;
import io.meridian.registry.InstanceEntry;

import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the projection slices this member owns (primary copies) and tells an {@link OwnedChecksListener} which
 * instances with checks each holds: a slice written on an owned partition is reported as the member's local entry
 * listener hears of the write, and partitions that migrate to or away from the member are noticed by a look at the
 * partition table every {@code poll} (its 271 entries, never the slices); the slices of a partition gained are then
 * reported, those of a partition lost reported empty; after a healed split every slice is reported again. Every
 * report runs on one thread, in order, and reads the slice as the member holds it at that moment, so a late event or a
 * report made twice says nothing out of date. Members only; {@link #close()} stops following.
 */
final class OwnedSlices implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OwnedSlices.class.getName());

    private final HazelcastInstance member;
    private final IMap<String, ServiceSlice> slices;
    private final LocalReplicas local;
    private final OwnedChecksListener listener;
    private final ScheduledExecutorService thread;
    private final UUID entryListener;
    private final UUID lifecycleListener;
    /** The partitions whose slices have been reported as owned. Touched on {@link #thread} only. */
    private final BitSet owned = new BitSet();
    /** The slices reported with instances, by partition. Touched on {@link #thread} only. */
    private final Map<Integer, Set<String>> reported = new HashMap<>();

    OwnedSlices(HazelcastInstance member, OwnedChecksListener listener, Duration poll) {
        this.member = member;
        this.slices = member.getMap(GridNames.SLICES_MAP);
        this.local = LocalReplicas.of(member).orElseThrow(
                () -> new IllegalStateException("only a member owns slices: this is a client"));
        this.listener = listener;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread owner = new Thread(runnable, "meridian-owned-slices");
            owner.setDaemon(true);
            return owner;
        });
        this.entryListener = slices.addLocalEntryListener(new Writes(), Predicates.alwaysTrue(), false);
        this.lifecycleListener = member.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                onThread(this::startOver);
            }
        });
        thread.scheduleWithFixedDelay(this::followPartitions, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * After this member merged back into the larger side of a healed split, its copies were dropped and filled again
     * by migrations, which fire no entry events, possibly onto the partitions it owned before: every slice is
     * reported again from what it holds now.
     */
    private void startOver() {
        for (Set<String> keys : reported.values()) {
            keys.forEach(key -> listener.sliceChanged(key, List.of()));
        }
        reported.clear();
        owned.clear();
        followPartitions();
    }

    private void followPartitions() {
        try {
            for (int partition = 0; partition < local.partitionCount(); partition++) {
                boolean isOwned = local.owns(partition);
                if (isOwned && !owned.get(partition)) {
                    owned.set(partition);
                    local.forEachKey(slices.getName(), partition, key -> report((String) key));
                } else if (!isOwned && owned.get(partition)) {
                    owned.clear(partition);
                    for (String key : reported.getOrDefault(partition, Set.of())) {
                        listener.sliceChanged(key, List.of());
                    }
                    reported.remove(partition);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not follow the partitions this member owns; the next look tries again", e);
        }
    }

    /** Reports a slice of an owned partition as this member holds it now; slices of other partitions wait. */
    private void report(String key) {
        int partition = local.partitionOf(key);
        if (!owned.get(partition)) {
            return;
        }
        ServiceSlice slice = local.get(slices.getName(), key);
        List<InstanceEntry> withChecks = slice == null ? List.of()
                : slice.instances().filter(entry -> !entry.instance().checks().isEmpty()).toList();
        Set<String> ofPartition = reported.computeIfAbsent(partition, id -> new HashSet<>());
        if (withChecks.isEmpty()) {
            ofPartition.remove(key);
        } else {
            ofPartition.add(key);
        }
        listener.sliceChanged(key, withChecks);
    }

    private void later(String key) {
        onThread(() -> {
            try {
                report(key);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not read slice " + key + "; it is read again when it changes or"
                        + " its partition moves", e);
            }
        });
    }

    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closed) {
            // heard while closing: nobody follows any more
        }
    }

    @Override
    public void close() {
        if (member.getLifecycleService().isRunning()) {
            member.getLifecycleService().removeLifecycleListener(lifecycleListener);
            slices.removeEntryListener(entryListener);
        }
        thread.shutdownNow();
    }

    /** Every kind of change to a slice on this member's partitions, by key; a cleared map, every slice again. */
    private final class Writes extends EntryAdapter<String, ServiceSlice>
            implements EntryMergedListener<String, ServiceSlice> {

        @Override
        public void onEntryEvent(EntryEvent<String, ServiceSlice> event) {
            later(event.getKey());
        }

        @Override
        public void entryMerged(EntryEvent<String, ServiceSlice> event) {
            later(event.getKey());
        }

        @Override
        public void onMapEvent(MapEvent event) {
            onThread(() -> reported.values().stream().flatMap(Set::stream).toList().forEach(OwnedSlices.this::report));
        }
    }
}
