package io.meridian.registry.grid;

import java.time.Duration;
import java.util.Objects;

/**
 * How the Hazelcast registry is laid out and how long a write may wait.
 *
 * @param shardCount       CP shards the instances spread over; fixed for the life of a cluster. The default keeps
 *                         each shard near 10 KB with 100,000 instances.
 * @param slicesPerService the most slices one service's instances are split into in the projection
 * @param writeTimeout     how long a write waits for a Raft majority before it fails as unavailable
 * @param nodeName         the name of this node, recorded on the instances registered through it
 * @param journaled        whether a write is acknowledged only once a majority of members has it on disk; off only
 *                         where members keep no data directory (benchmarks of the in-memory cost)
 * @param maxChecksPerInstance the most checks one instance may have, besides maintenance and draining
 */
public record RegistrySettings(int shardCount, int slicesPerService, Duration writeTimeout, String nodeName,
                               boolean journaled, int maxChecksPerInstance) {

    public static final int DEFAULT_SHARD_COUNT = 4096;
    public static final int DEFAULT_SLICES_PER_SERVICE = 256;
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(4);
    public static final int DEFAULT_MAX_CHECKS_PER_INSTANCE = 16;

    public RegistrySettings {
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(nodeName, "nodeName");
        if (shardCount < 1 || slicesPerService < 1) {
            throw new IllegalArgumentException("shard count and slices per service must be positive");
        }
        if (writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("write timeout must be positive");
        }
        if (maxChecksPerInstance < 1) {
            throw new IllegalArgumentException("the most checks per instance must be positive");
        }
    }

    /** These settings with the default limit of checks per instance. */
    public RegistrySettings(int shardCount, int slicesPerService, Duration writeTimeout, String nodeName,
                            boolean journaled) {
        this(shardCount, slicesPerService, writeTimeout, nodeName, journaled, DEFAULT_MAX_CHECKS_PER_INSTANCE);
    }

    /** These settings with another limit of checks per instance. */
    public RegistrySettings withMaxChecksPerInstance(int limit) {
        return new RegistrySettings(shardCount, slicesPerService, writeTimeout, nodeName, journaled, limit);
    }

    /** The defaults, for a node of the given name: journaled writes. */
    public static RegistrySettings defaults(String nodeName) {
        return new RegistrySettings(DEFAULT_SHARD_COUNT, DEFAULT_SLICES_PER_SERVICE, DEFAULT_WRITE_TIMEOUT, nodeName,
                true);
    }
}
