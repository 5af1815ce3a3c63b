package io.meridian.health.schedule;

import io.meridian.health.check.Damper;
import io.meridian.health.check.WatchedCheck;
import io.meridian.registry.HealthStatus;

/**
 * What is known of one check between its runs: its committed status, its damping, since when it has been critical or
 * its failure held, and its last stored output. Changed by the {@link CheckJudge} only, one run of the check at a
 * time; the scheduler reads it and tells it the committed status it observes.
 */
final class CheckState {

    private final WatchedCheck watched;
    private final String serviceKey;
    private final Damper damper;
    volatile HealthStatus status;
    volatile long criticalSince;
    volatile long heldSince;
    volatile String lastOutput;
    volatile long outcomeWrittenAt;
    private volatile boolean ended;

    CheckState(WatchedCheck watched, String service) {
        this.watched = watched;
        this.serviceKey = watched.namespace() + '/' + service;
        this.damper = new Damper(watched.check().thresholds());
        this.status = watched.check().status();
    }

    WatchedCheck watched() {
        return watched;
    }

    /** {@code namespace/instanceId/checkId}. */
    String key() {
        return watched.namespace() + '/' + watched.instanceId() + '/' + watched.check().id();
    }

    /** {@code namespace/service}, the unit the safety valve judges by. */
    String serviceKey() {
        return serviceKey;
    }

    Damper damper() {
        return damper;
    }

    /** The committed status, as the projection shows it, wins over what this member last wrote. */
    void observe(HealthStatus committed) {
        status = committed;
    }

    /** Marks the check done for good: its instance was deregistered after its critical period. */
    void end() {
        ended = true;
    }

    boolean hasEnded() {
        return ended;
    }
}
