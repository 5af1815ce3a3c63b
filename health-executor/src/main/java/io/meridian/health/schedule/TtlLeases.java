package io.meridian.health.schedule;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.meridian.health.check.CheckResult;
import io.meridian.registry.Check;
import io.meridian.registry.HealthStatus;

import java.io.Serializable;

/**
 * TTL checks' leases, in an AP map by {@code namespace/checkId}: an instance renews its lease with a status; the
 * lease lasts the check's TTL. Renewals never touch Raft; only the status they lead to does, when it changes.
 */
public final class TtlLeases {

    /** The AP map of TTL leases. */
    public static final String LEASES_MAP = "meridian-ttl-leases";

    /**
     * A renewal: the status the instance reported, its note, and when it lapses.
     */
    public record Lease(HealthStatus status, String output, long expiresAtMillis) implements Serializable {
    }

    private final IMap<String, Lease> leases;

    public TtlLeases(HazelcastInstance hazelcast) {
        this.leases = hazelcast.getMap(LEASES_MAP);
    }

    /** Renews the lease of a TTL check until {@code now + ttl}. */
    public void renew(String namespace, Check check, HealthStatus status, String output, long nowMillis) {
        leases.set(namespace + '/' + check.id(), new Lease(status, output, nowMillis + check.ttl().toMillis()));
    }

    /**
     * What a TTL check says now: the renewed status while the lease lasts, critical once it lapses, and its
     * registered status until the first TTL after registration has passed without a renewal.
     */
    CheckResult evaluate(String namespace, Check check, long registeredAtMillis, long nowMillis) {
        Lease lease = leases.get(namespace + '/' + check.id());
        if (lease == null) {
            return nowMillis - registeredAtMillis >= check.ttl().toMillis()
                    ? new CheckResult(HealthStatus.CRITICAL, "TTL expired: never renewed")
                    : new CheckResult(check.status(), "");
        }
        if (nowMillis >= lease.expiresAtMillis()) {
            return new CheckResult(HealthStatus.CRITICAL, "TTL expired (last output: " + lease.output() + ")");
        }
        return new CheckResult(lease.status(), lease.output());
    }
}
