package io.meridian.registry;

/** How a check learns the health of an instance: by probing it (HTTP, TCP, gRPC) or by the instance renewing a TTL. */
public enum CheckKind {
    HTTP, TCP, GRPC, TTL;

    /** Whether Meridian probes the instance itself, on an interval. */
    public boolean isProbe() {
        return this != TTL;
    }
}
