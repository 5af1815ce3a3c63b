package io.meridian.registry;

/**
 * How a check learns the health of an instance: by probing it (HTTP, TCP, gRPC), by the instance renewing a TTL, by
 * an operator's decision that holds until lifted (maintenance, draining), or from a third party (external).
 */
public enum CheckKind {
    HTTP, TCP, GRPC, TTL,
    /** Consul's {@code _service_maintenance:<id>} check: critical while the instance is in maintenance. */
    MAINTENANCE,
    /** Meridian's {@code _service_drain:<id>} check: critical while the instance drains, then it is deregistered. */
    DRAIN,
    /** A check whose status a third party sets through the catalog ({@code PUT /v1/catalog/register}); never run. */
    EXTERNAL;

    /** Whether Meridian probes the instance itself, on an interval. */
    public boolean isProbe() {
        return this == HTTP || this == TCP || this == GRPC;
    }

    /** Whether the check's status is set by an operator or a third party, not by running anything. */
    public boolean isStatic() {
        return this == MAINTENANCE || this == DRAIN || this == EXTERNAL;
    }
}
