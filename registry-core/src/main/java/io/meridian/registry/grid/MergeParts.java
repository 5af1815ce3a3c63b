package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Raft operation that merges service parts from a member's disk into a shard: each part replaces the shard's
 * part of the same service only if its index is higher. Commutative and idempotent, so members may merge their disks
 * in any order, and the result holds, part by part, the newest any of them had.
 */
record MergeParts(HashMap<String, ServicePart> parts) implements IFunction<Shard, Shard> {

    MergeParts(Map<String, ServicePart> parts) {
        this(new HashMap<>(parts));
    }

    @Override
    public Shard apply(Shard shard) {
        Shard current = shard == null ? Shard.EMPTY : shard;
        Map<String, ServicePart> merged = new HashMap<>(current.parts());
        List<String> touched = new ArrayList<>();
        long index = current.index();
        for (Map.Entry<String, ServicePart> offered : parts.entrySet()) {
            ServicePart held = merged.get(offered.getKey());
            if (held == null || held.index() < offered.getValue().index()) {
                merged.put(offered.getKey(), offered.getValue());
                touched.add(offered.getKey());
                index = Math.max(index, offered.getValue().index());
            }
        }
        return new Shard(index, merged, touched);
    }
}
