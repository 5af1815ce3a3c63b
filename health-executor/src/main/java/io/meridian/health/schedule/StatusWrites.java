package io.meridian.health.schedule;

import io.meridian.registry.HealthStatus;
import io.meridian.registry.Registry;

/** The writes a check's judgement makes through Raft: a change of status, and a deregistration. */
interface StatusWrites {

    void commitStatus(String namespace, String instanceId, String checkId, HealthStatus status);

    void deregister(String namespace, String instanceId);

    /** The writes through the registry. */
    static StatusWrites through(Registry registry) {
        return new StatusWrites() {
            @Override
            public void commitStatus(String namespace, String instanceId, String checkId, HealthStatus status) {
                registry.updateCheckStatus(namespace, instanceId, checkId, status);
            }

            @Override
            public void deregister(String namespace, String instanceId) {
                registry.deregister(namespace, instanceId);
            }
        };
    }
}
