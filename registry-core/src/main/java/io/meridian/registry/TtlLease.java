package io.meridian.registry;

import java.io.Serializable;

/**
 * The last renewal of a TTL check: the status and note the instance reported, and when. The lease lasts the check's
 * TTL from {@code renewedAtMillis}; it lives in an AP map, so renewals never touch Raft.
 */
public record TtlLease(HealthStatus status, String output, long renewedAtMillis) implements Serializable {
}
