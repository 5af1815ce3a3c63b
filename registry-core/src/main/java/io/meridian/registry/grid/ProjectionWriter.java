package io.meridian.registry.grid;

/** Brings the read projection up to a shard's part of a service. Implementations must be idempotent. */
interface ProjectionWriter {

    /** A deadline that leaves the writer's own bound to apply. */
    long OWN_BOUND = Long.MAX_VALUE;

    /**
     * Projects the part, giving up at {@code deadlineNanos} ({@link System#nanoTime()}) at the latest.
     *
     * @throws com.hazelcast.core.HazelcastException if a step fails or the deadline passes
     */
    void apply(int shardId, String serviceKey, ServicePart part, long deadlineNanos);
}
