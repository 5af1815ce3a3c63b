package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import io.meridian.registry.ServiceInstance;

/**
 * The Raft operation that registers an instance: it carries the instance (a few hundred bytes), not the shard.
 * Idempotent: applied twice after a leader failover it leaves the same instance, at a higher index.
 */
record RegisterInstance(ServiceInstance instance, long proposedIndex) implements IFunction<Shard, Shard> {

    @Override
    public Shard apply(Shard shard) {
        Shard current = shard == null ? Shard.EMPTY : shard;
        return current.withInstance(instance, current.nextIndex(proposedIndex));
    }
}
