package io.meridian.health.schedule;

import io.meridian.health.check.CheckResult;
import io.meridian.registry.Check;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.TtlLease;

/**
 * Reads TTL checks' leases (renewed through {@code Registry.renewTtl} into an AP map by {@link TtlLease#key}) and
 * says what a check is: a lease lasts the check's TTL from its renewal. Only a change of status goes through Raft.
 */
final class TtlLeases {

    private final CheckRecords records;

    TtlLeases(CheckRecords records) {
        this.records = records;
    }

    /**
     * What a TTL check says now: the renewed status while the lease lasts, critical once it lapses, and its
     * registered status until the first TTL after registration has passed without a renewal.
     */
    CheckResult evaluate(String namespace, String instanceId, Check check, long registeredAtMillis, long nowMillis) {
        return judge(records.lease(namespace, instanceId, check.id()).orElse(null), check, registeredAtMillis,
                nowMillis);
    }

    /** What a TTL check says at {@code nowMillis} given its last lease, or null if it was never renewed. */
    static CheckResult judge(TtlLease lease, Check check, long registeredAtMillis, long nowMillis) {
        if (lease == null) {
            return nowMillis - registeredAtMillis >= check.ttl().toMillis()
                    ? new CheckResult(HealthStatus.CRITICAL, "TTL expired: never renewed")
                    : new CheckResult(check.status(), "");
        }
        if (nowMillis >= lease.renewedAtMillis() + check.ttl().toMillis()) {
            return new CheckResult(HealthStatus.CRITICAL, "TTL expired (last output: " + lease.output() + ")");
        }
        return new CheckResult(lease.status(), lease.output());
    }
}
