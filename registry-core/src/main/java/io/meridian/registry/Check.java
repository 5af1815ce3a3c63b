package io.meridian.registry;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A health check attached to an instance, with its current status.
 *
 * @param id                             unique within the namespace ({@code service:<instance-id>} by default)
 * @param name                           a human-readable name
 * @param kind                           how the check is run
 * @param target                         the URL (HTTP), {@code host:port} (TCP, gRPC), or empty (TTL)
 * @param interval                       how often a probe runs; {@code null} for TTL checks
 * @param timeout                        how long a probe may take; {@code null} for the default
 * @param ttl                            how long a TTL renewal lasts; {@code null} for probes
 * @param deregisterCriticalServiceAfter remove the instance once the check has been critical this long; {@code null} never
 * @param status                         the check's current status
 * @param notes                          free text from the registration
 */
public record Check(
        String id,
        String name,
        CheckKind kind,
        String target,
        Duration interval,
        Duration timeout,
        Duration ttl,
        Duration deregisterCriticalServiceAfter,
        HealthStatus status,
        String notes) implements Serializable {

    public Check {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        name = name == null ? "" : name;
        target = target == null ? "" : target;
        notes = notes == null ? "" : notes;
    }
}
