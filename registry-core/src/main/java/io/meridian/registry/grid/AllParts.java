package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

import java.util.HashMap;

/** A read-only query: every service part of a shard, emptied ones (tombstones) included, or null if it is empty. */
record AllParts() implements IFunction<Shard, HashMap<String, ServicePart>> {

    @Override
    public HashMap<String, ServicePart> apply(Shard shard) {
        return shard == null || shard.parts().isEmpty() ? null : new HashMap<>(shard.parts());
    }
}
