package io.meridian.client;

import io.meridian.registry.ServiceInstance;

import java.time.Duration;

/**
 * An instance this process registered through {@link DiscoveryClient#register}: its TTL check is renewed in the
 * background until the registration ends. Thread-safe; ending it twice is harmless.
 */
public interface Registration extends AutoCloseable {

    /** The instance as registered, with the TTL check the client added. */
    ServiceInstance instance();

    /**
     * Marks the instance as draining (critical, so callers stop choosing it), waits the period for calls in flight
     * to finish, then deregisters it and stops renewing. Blocks for the period. The client's shutdown hook runs this
     * with the builder's drain period.
     */
    void drainAndDeregister(Duration period);

    /** Deregisters the instance at once and stops renewing. */
    @Override
    void close();
}
