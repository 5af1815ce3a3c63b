package io.meridian.faults;

import java.util.Set;

/**
 * One operation of a recorded history: who did what to which service through which member, when it was invoked and
 * when it completed (monotonic nanoseconds), and how it ended. A read carries the instance ids it saw and the index
 * it was answered at; a write carries the index it was acknowledged at, or 0.
 *
 * @param client       the workload client that issued it
 * @param kind         what it did
 * @param service      the service it touched or read
 * @param instanceId   the instance it wrote; empty for reads
 * @param node         the member it went through
 * @param invokedAt    {@link System#nanoTime()} when it was sent
 * @param completedAt  when its answer came, or {@link Long#MAX_VALUE} if none came
 * @param outcome      how it ended
 * @param index        the {@code X-Consul-Index} of its answer, or 0
 * @param seen         for a read, the instance ids it returned
 */
public record Op(int client, Kind kind, String service, String instanceId, int node, long invokedAt, long completedAt,
                 Outcome outcome, long index, Set<String> seen) {

    /** What an operation did. */
    public enum Kind {
        /** {@code SDK_READ}: a lookup through an SDK client connected to one member only. */
        REGISTER, DEREGISTER, CHECK_STATUS, READ, CONSISTENT_READ, SDK_READ;

        public boolean isWrite() {
            return this == REGISTER || this == DEREGISTER || this == CHECK_STATUS;
        }

        /** An HTTP read, answered with the service's {@code X-Consul-Index}; an SDK lookup carries none. */
        public boolean carriesIndex() {
            return this == READ || this == CONSISTENT_READ;
        }
    }

    /**
     * How an operation ended: acknowledged, certainly not applied (refused before it could take effect), or unknown
     * (a timeout or a 5xx after which the write may still take effect).
     */
    public enum Outcome {
        OK, FAIL, UNKNOWN
    }

    /** A read of {@code service} on {@code node} that saw {@code seen} at {@code index}. */
    public static Op read(int client, boolean consistent, String service, int node, long invokedAt, long completedAt,
                          long index, Set<String> seen) {
        return new Op(client, consistent ? Kind.CONSISTENT_READ : Kind.READ, service, "", node, invokedAt,
                completedAt, Outcome.OK, index, seen);
    }

    /** A write of {@code instanceId} in {@code service}. */
    public static Op write(int client, Kind kind, String service, String instanceId, int node, long invokedAt,
                           long completedAt, Outcome outcome, long index) {
        return new Op(client, kind, service, instanceId, node, invokedAt, completedAt, outcome, index, Set.of());
    }

    /**
     * The latest moment the operation can have taken effect: its answer, unless the outcome is unknown; a write that
     * answered 503 after its wait for a majority ran out may still be committed later.
     */
    public long effectiveBy() {
        return outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : completedAt;
    }

    public long latencyNanos() {
        return completedAt - invokedAt;
    }
}
