package io.meridian.node;

import io.meridian.health.schedule.CheckScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Arrays;

/**
 * The health checking meters of one member: {@code meridian_checks_completed_total} (its rate is checks run per
 * second), {@code meridian_checks_running}, {@code meridian_checks_held_failures_total} (held by the safety valve) and
 * {@code meridian_checks_scheduling_lag_p99_seconds} (how late the recent runs started, 99th percentile).
 */
final class CheckMeters {

    private CheckMeters() {
    }

    static void bind(MeterRegistry meters, CheckScheduler checks) {
        FunctionCounter.builder("meridian.checks.completed", checks, CheckScheduler::completedRuns)
                .description("check runs completed on this member").register(meters);
        FunctionCounter.builder("meridian.checks.held.failures", checks, CheckScheduler::heldFailures)
                .description("failures the safety valve held back").register(meters);
        Gauge.builder("meridian.checks.running", checks, scheduler -> scheduler.runningChecks().size())
                .description("checks this member runs").register(meters);
        Gauge.builder("meridian.checks.scheduling.lag.p99", checks, CheckMeters::lagP99Seconds)
                .description("how late recent check runs started, 99th percentile").baseUnit("seconds")
                .register(meters);
    }

    private static double lagP99Seconds(CheckScheduler checks) {
        long[] lags = checks.recentLagsMillis();
        if (lags.length == 0) {
            return 0;
        }
        long[] sorted = lags.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)] / 1000.0;
    }
}
