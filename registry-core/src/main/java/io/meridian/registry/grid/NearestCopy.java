package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads of string-keyed maps from the nearest copy: on a member, its own copy of the entry when it holds one
 * ({@link LocalReplicas}), so the read answers even while the member is cut off from the entry's owner; otherwise,
 * and on a client, from the owner as {@link IMap} reads do. Thread-safe.
 */
final class NearestCopy {

    /** This member's own copies; null on a client. */
    private final LocalReplicas local;

    NearestCopy(HazelcastInstance hazelcast) {
        this.local = LocalReplicas.of(hazelcast).orElse(null);
    }

    /** Whether reads can come from this process's own copies: true on members. */
    boolean isLocal() {
        return local != null;
    }

    <V> V get(IMap<String, V> map, String key) {
        return local != null && local.holds(key) ? local.get(map.getName(), key) : map.get(key);
    }

    /** The entries of the keys that exist; from the owners unless this member holds every key's copy. */
    <V> Map<String, V> getAll(IMap<String, V> map, Set<String> keys) {
        if (local == null || !keys.stream().allMatch(local::holds)) {
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
        if (local != null && local.holdsEveryPartition()) {
            local.<String, V>forEach(map.getName(), (key, value) -> {
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
    <V> void scan(IMap<String, V> map, BiConsumer<String, V> action) {
        if (local != null && local.holdsEveryPartition()) {
            local.forEach(map.getName(), action);
            return;
        }
        map.entrySet().forEach(entry -> action.accept(entry.getKey(), entry.getValue()));
    }
}
