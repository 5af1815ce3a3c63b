package io.meridian.registry;

import java.io.Serializable;

/**
 * The last renewal of a TTL check: the status and note the instance reported, and when. The lease lasts the check's
 * TTL from {@code renewedAtMillis}; it lives in an AP map, so renewals never touch Raft.
 */
public record TtlLease(HealthStatus status, String output, long renewedAtMillis) implements Serializable {

    /**
     * The key of a lease in the grid: by instance and check, so a lease belongs to the instance whose check it is
     * and one that registers the same check id later starts with none.
     */
    public static String key(String namespace, String instanceId, String checkId) {
        return namespace + '/' + instanceId + '/' + checkId;
    }
}
