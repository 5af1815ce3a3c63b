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
 * @param target                         the URL (HTTP), {@code host:port} (TCP), {@code host:port[/service]} (gRPC),
 *                                       or empty (TTL)
 * @param http                           how an HTTP check asks; {@link HttpOptions#DEFAULT} for other kinds
 * @param interval                       how often a probe runs; {@code null} for TTL checks
 * @param timeout                        how long a probe may take; {@code null} for the default
 * @param ttl                            how long a TTL renewal lasts; {@code null} for probes
 * @param deregisterCriticalServiceAfter remove the instance once the check has been critical this long; {@code null}
 *                                       never
 * @param thresholds                     flap damping: how many results in a row change the status
 * @param status                         the check's current status
 * @param notes                          free text from the registration
 */
public record Check(
        String id,
        String name,
        CheckKind kind,
        String target,
        HttpOptions http,
        Duration interval,
        Duration timeout,
        Duration ttl,
        Duration deregisterCriticalServiceAfter,
        Thresholds thresholds,
        HealthStatus status,
        String notes) implements Serializable {

    /** The longest a probe waits when its check gives no timeout (Consul's default). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Check {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        name = name == null ? "" : name;
        target = target == null ? "" : target;
        http = http == null ? HttpOptions.DEFAULT : http;
        thresholds = thresholds == null ? Thresholds.NONE : thresholds;
        notes = notes == null ? "" : notes;
    }

    /** The timeout a probe runs with: the given one, or 10 s, and never longer than the interval. */
    public Duration effectiveTimeout() {
        Duration wanted = timeout == null ? DEFAULT_TIMEOUT : timeout;
        return interval != null && interval.compareTo(wanted) < 0 ? interval : wanted;
    }

    /** This check in another status. */
    public Check withStatus(HealthStatus newStatus) {
        return new Check(id, name, kind, target, http, interval, timeout, ttl, deregisterCriticalServiceAfter,
                thresholds, newStatus, notes);
    }

    /**
     * The check that marks an instance as draining: critical, so no new traffic goes to it, and removed with its
     * instance once {@code period} has passed.
     */
    public static Check draining(String instanceId, Duration period, String notes) {
        return new Check("_service_drain:" + instanceId, "Service Draining", CheckKind.DRAIN, "", null, null, null,
                null, period, null, HealthStatus.CRITICAL, notes);
    }
}
