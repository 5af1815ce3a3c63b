package io.meridian.registry.grid;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What the projection has applied of one shard: the index of each service part. Anti-entropy compares it with the
 * shard's parts, so a round that finds nothing to repair reads one small value per shard.
 */
record ShardDigest(Map<String, Long> applied) implements Serializable {

    static final ShardDigest EMPTY = new ShardDigest(Map.of());

    ShardDigest {
        applied = Map.copyOf(applied);
    }

    boolean hasApplied(String serviceKey, long index) {
        return applied.getOrDefault(serviceKey, 0L) >= index;
    }

    ShardDigest with(String serviceKey, long index) {
        Map<String, Long> newApplied = new HashMap<>(applied);
        newApplied.merge(serviceKey, index, Math::max);
        return new ShardDigest(newApplied);
    }
}
