package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

/** The Raft operation that removes an instance by id; the result touches nothing when there was none. */
record DeregisterInstance(String namespace, String instanceId, long proposedIndex) implements IFunction<Shard, Shard> {

    @Override
    public Shard apply(Shard shard) {
        Shard current = shard == null ? Shard.EMPTY : shard;
        return current.withoutInstance(namespace, instanceId, current.nextIndex(proposedIndex));
    }
}
