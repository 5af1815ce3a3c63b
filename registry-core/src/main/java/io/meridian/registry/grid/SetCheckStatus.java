package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import io.meridian.registry.HealthStatus;

/** The Raft operation that moves one check of an instance to a new status; idempotent. */
record SetCheckStatus(String namespace, String instanceId, String checkId, HealthStatus status, long proposedIndex)
        implements IFunction<Shard, Shard> {

    @Override
    public Shard apply(Shard shard) {
        Shard current = shard == null ? Shard.EMPTY : shard;
        return current.withChecks(namespace, instanceId, checks -> checks.stream()
                .map(check -> check.id().equals(checkId) ? check.withStatus(status) : check)
                .toList(), current.nextIndex(proposedIndex));
    }
}
