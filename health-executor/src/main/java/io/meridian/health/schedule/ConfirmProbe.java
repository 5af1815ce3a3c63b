package io.meridian.health.schedule;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import io.meridian.health.check.CheckResult;
import io.meridian.registry.Check;

import java.io.Serializable;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** A task sent to another member: run this probe from there, for a second opinion while the safety valve is open. */
final class ConfirmProbe implements Callable<CheckResult>, Serializable, HazelcastInstanceAware {

    private final Check check;
    private transient HazelcastInstance member;

    ConfirmProbe(Check check) {
        this.check = check;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public CheckResult call() throws Exception {
        Optional<CheckScheduler> checks = CheckScheduler.on(member);
        return checks.isEmpty() ? null
                : checks.get().probeOnce(check).get(check.effectiveTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }
}
