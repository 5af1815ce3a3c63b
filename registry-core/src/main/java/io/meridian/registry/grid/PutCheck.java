package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import io.meridian.registry.Check;
import io.meridian.registry.RegistrationRules;

import java.util.ArrayList;
import java.util.List;

/**
 * The Raft operation that adds a check to an instance, or replaces the check with the same id; idempotent. A new
 * check that would give the instance more than {@code maxChecks} counted checks changes nothing.
 */
record PutCheck(String namespace, String instanceId, Check check, int maxChecks, long proposedIndex)
        implements IFunction<Shard, Shard> {

    @Override
    public Shard apply(Shard shard) {
        Shard current = shard == null ? Shard.EMPTY : shard;
        return current.withChecks(namespace, instanceId, checks -> {
            List<Check> changed = new ArrayList<>(checks.stream().filter(c -> !c.id().equals(check.id())).toList());
            changed.add(check);
            return RegistrationRules.countedChecks(changed) > maxChecks ? checks : changed;
        }, current.nextIndex(proposedIndex));
    }
}
