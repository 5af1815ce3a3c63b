package io.meridian.health.check;

import io.meridian.registry.Check;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.TtlLease;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * TTL checks: reads the lease the instance last renewed through {@link CheckRecords}; a lease lasts the check's TTL
 * from its renewal. A renewal that changes the status is committed by the registry as it is taken, so what this
 * prober adds is the lapse: it looks every tenth of the TTL (at least every second) and turns a lapsed check critical.
 */
final class TtlProber implements Prober {

    private static final Duration AT_LEAST_EVERY = Duration.ofSeconds(1);

    private final CheckRecords records;
    private final Clock clock;

    TtlProber(CheckRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /** A lease that cannot be read now (its owner is cut off) fails the probe; the next look tries again. */
    @Override
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        try {
            TtlLease lease = records.lease(watched.namespace(), watched.instanceId(), watched.check().id())
                    .orElse(null);
            return CompletableFuture.completedFuture(judge(lease, watched.check(), watched.sinceMillis(),
                    clock.millis()));
        } catch (RuntimeException unreadable) {
            return CompletableFuture.failedFuture(unreadable);
        }
    }

    @Override
    public Duration every(Check check) {
        Duration tenth = check.ttl().dividedBy(10);
        return tenth.compareTo(AT_LEAST_EVERY) < 0 ? AT_LEAST_EVERY : tenth;
    }

    @Override
    public boolean seenDifferentlyElsewhere() {
        return false;
    }

    /**
     * What a TTL check says at {@code nowMillis} given its last lease (null if never renewed): the renewed status while
     * the lease lasts, critical once it lapses, and its registered status until one TTL after {@code sinceMillis}.
     */
    static CheckResult judge(TtlLease lease, Check check, long sinceMillis, long nowMillis) {
        if (lease == null) {
            return nowMillis - sinceMillis >= check.ttl().toMillis()
                    ? new CheckResult(HealthStatus.CRITICAL, "TTL expired: never renewed")
                    : new CheckResult(check.status(), "");
        }
        if (nowMillis >= lease.renewedAtMillis() + check.ttl().toMillis()) {
            return new CheckResult(HealthStatus.CRITICAL, "TTL expired (last output: " + lease.output() + ")");
        }
        return new CheckResult(lease.status(), lease.output());
    }
}
