package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.IMap;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Reads of string-keyed maps from the nearest copy: on a member, its own copy of the entry when it holds one
 * ({@link LocalReplicas}), so the read answers even while the member is cut off from the entry's owner; otherwise,
 * and on a client, from the owner as {@link IMap} reads do.
 *
 * <p>When a member that was cut off merges back into the larger side, Hazelcast empties its copies, rejoins, and
 * migrates copies to it again. Over that time reads come from a snapshot of the member's copies taken as the merge
 * began, until the member holds every partition in sync again (or {@link #THAW_BOUND} passes): a member never answers
 * from an empty or half-filled copy. Thread-safe; {@link #close()} stops listening for merges.
 */
final class NearestCopy implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NearestCopy.class.getName());
    static final Duration THAW_BOUND = Duration.ofSeconds(60);

    private final HazelcastInstance hazelcast;
    /** This member's own copies; null on a client. */
    private final LocalReplicas local;
    /** The maps a merge snapshots. */
    private final List<String> frozenOnMerge;
    /** While a merge settles: per map, its entries as this member held them when the merge began; else null. */
    private volatile Map<String, Map<Object, Object>> frozen;
    private final UUID lifecycleListener;

    NearestCopy(HazelcastInstance hazelcast, List<String> frozenOnMerge) {
        this.hazelcast = hazelcast;
        this.local = LocalReplicas.of(hazelcast).orElse(null);
        this.frozenOnMerge = frozenOnMerge;
        this.lifecycleListener = local == null ? null
                : hazelcast.getLifecycleService().addLifecycleListener(this::onLifecycle);
    }

    private void onLifecycle(LifecycleEvent event) {
        switch (event.getState()) {
            case MERGING -> {
                Map<String, Map<Object, Object>> snapshot = new HashMap<>();
                for (String map : frozenOnMerge) {
                    Map<Object, Object> entries = new HashMap<>();
                    local.forEach(map, entries::put);
                    snapshot.put(map, entries);
                }
                frozen = snapshot;
                LOG.info("merging into the larger side of a healed split: reads come from this member's copies as"
                        + " they were until its copies are in sync again");
            }
            case MERGED, MERGE_FAILED -> {
                Thread thaw = new Thread(this::thawWhenSettled, "meridian-merge-thaw");
                thaw.setDaemon(true);
                thaw.start();
            }
            default -> { }
        }
    }

    private void thawWhenSettled() {
        long deadline = System.nanoTime() + THAW_BOUND.toNanos();
        while (!frozenOnMerge.stream().allMatch(local::isSettled) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        frozen = null;
        LOG.info("merge settled: reads come from this member's copies again");
    }

    /** Whether reads can come from this process's own copies: true on members. */
    boolean isLocal() {
        return local != null;
    }

    @SuppressWarnings("unchecked")
    <V> V get(IMap<String, V> map, String key) {
        Map<String, Map<Object, Object>> snapshot = frozen;
        if (snapshot != null) {
            return (V) snapshot.getOrDefault(map.getName(), Map.of()).get(key);
        }
        return local != null && local.holds(map.getName(), key) ? local.get(map.getName(), key) : map.get(key);
    }

    /**
     * Part of the entry's value, or null if there is none: read by {@code fromBytes} from this member's own copy of
     * the serialized value when it holds one, without decoding the rest; else by {@code fromValue} from the value as
     * {@link #get} reads it.
     */
    <V, R> R read(IMap<String, V> map, String key, Function<Data, R> fromBytes, Function<V, R> fromValue) {
        if (frozen == null && local != null && local.holds(map.getName(), key)) {
            Data held = local.getSerialized(map.getName(), key);
            return held == null ? null : fromBytes.apply(held);
        }
        V value = get(map, key);
        return value == null ? null : fromValue.apply(value);
    }

    /** The entries of the keys that exist; from the owners unless this member holds every key's copy. */
    <V> Map<String, V> getAll(IMap<String, V> map, Set<String> keys) {
        if (frozen != null) {
            Map<String, V> found = new HashMap<>();
            keys.forEach(key -> {
                V value = get(map, key);
                if (value != null) {
                    found.put(key, value);
                }
            });
            return found;
        }
        if (local == null || !keys.stream().allMatch(key -> local.holds(map.getName(), key))) {
            return map.getAll(keys);
        }
        Map<String, V> found = new HashMap<>();
        for (String key : keys) {
            V value = local.get(map.getName(), key);
            if (value != null) {
                found.put(key, value);
            }
        }
        return found;
    }

    /** Every entry of the map whose key is in the namespace ({@code namespace/...}). */
    <V> void scan(IMap<String, V> map, String namespace, BiConsumer<String, V> action) {
        String prefix = namespace + '/';
        if (frozen != null || local != null && local.holdsEveryPartition(map.getName())) {
            scan(map, (String key, V value) -> {
                if (key.startsWith(prefix)) {
                    action.accept(key, value);
                }
            });
            return;
        }
        map.entrySet(new NamespacePredicate<>(namespace)).forEach(entry -> action.accept(entry.getKey(),
                entry.getValue()));
    }

    /** Every entry of the map. */
    @SuppressWarnings("unchecked")
    <V> void scan(IMap<String, V> map, BiConsumer<String, V> action) {
        Map<String, Map<Object, Object>> snapshot = frozen;
        if (snapshot != null) {
            snapshot.getOrDefault(map.getName(), Map.of()).forEach((key, value) -> action.accept((String) key,
                    (V) value));
            return;
        }
        if (local != null && local.holdsEveryPartition(map.getName())) {
            local.forEach(map.getName(), action);
            return;
        }
        map.entrySet().forEach(entry -> action.accept(entry.getKey(), entry.getValue()));
    }

    @Override
    public void close() {
        // A member already shut down has dropped its listeners.
        if (lifecycleListener != null && hazelcast.getLifecycleService().isRunning()) {
            hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
        }
    }
}
