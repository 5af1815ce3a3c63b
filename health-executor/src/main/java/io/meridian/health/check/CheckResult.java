package io.meridian.health.check;

import io.meridian.registry.HealthStatus;

/**
 * What one run of a check found.
 *
 * @param status what the run says, before damping
 * @param output what the target answered or why it failed, at most a few KiB
 */
public record CheckResult(HealthStatus status, String output) implements java.io.Serializable {
}
