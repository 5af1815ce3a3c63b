package io.meridian.registry.grid;

/** Brings the read projection up to a shard's part of a service. Implementations must be idempotent. */
interface ProjectionWriter {

    void apply(int shardId, String serviceKey, ServicePart part);
}
