package io.meridian.health.check;

import io.meridian.registry.HealthStatus;
import io.meridian.registry.Thresholds;

/**
 * Flap damping for one check, as Consul damps: a passing result turns the check passing only after
 * {@code SuccessBeforePassing} of them in a row; a failing result turns it critical after
 * {@code FailuresBeforeCritical} failures in a row, warning after {@code FailuresBeforeWarning} (by default the same
 * as {@code FailuresBeforeCritical}), and otherwise leaves it as it was. Not thread-safe: one damper per check, used by
 * one thread at a time.
 */
public final class Damper {

    private final Thresholds thresholds;
    private int successes;
    private int failures;

    public Damper(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** The check's status after this result, given its status before. */
    public HealthStatus next(HealthStatus current, HealthStatus result) {
        if (result == HealthStatus.PASSING) {
            successes++;
            failures = 0;
            return successes >= thresholds.successBeforePassing() ? HealthStatus.PASSING : current;
        }
        failures++;
        successes = 0;
        if (failures >= thresholds.failuresBeforeCritical()) {
            return result;
        }
        int warnAfter = thresholds.failuresBeforeWarning() == 0
                ? thresholds.failuresBeforeCritical() : thresholds.failuresBeforeWarning();
        if (failures >= warnAfter) {
            return HealthStatus.WARNING;
        }
        return current;
    }
}
