package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

/** The Raft operation that removes a check from an instance; touching nothing if it has no such check. */
record RemoveCheck(String namespace, String instanceId, String checkId, long proposedIndex)
        implements IFunction<Shard, Shard> {

    @Override
    public Shard apply(Shard shard) {
        Shard current = shard == null ? Shard.EMPTY : shard;
        return current.withChecks(namespace, instanceId,
                checks -> checks.stream().filter(check -> !check.id().equals(checkId)).toList(),
                current.nextIndex(proposedIndex));
    }
}
