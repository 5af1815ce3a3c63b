package io.meridian.health.schedule;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import io.meridian.registry.HealthStatus;

import java.io.Serializable;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A task sent to every member: the member whose scheduler runs the instance's checks runs them now and answers with
 * the instance's health; the others answer null.
 */
final class CheckNow implements Callable<HealthStatus>, Serializable, HazelcastInstanceAware {

    private final String namespace;
    private final String instanceId;
    private transient HazelcastInstance member;

    CheckNow(String namespace, String instanceId) {
        this.namespace = namespace;
        this.instanceId = instanceId;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public HealthStatus call() throws Exception {
        Optional<CheckScheduler> checks = CheckScheduler.on(member);
        return checks.isEmpty() ? null
                : checks.get().checkNow(namespace, instanceId).get(30, TimeUnit.SECONDS).orElse(null);
    }
}
