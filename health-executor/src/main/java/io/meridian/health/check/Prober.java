package io.meridian.health.check;

import io.meridian.registry.Check;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Finds out how an instance is, for one kind of check: by asking it over the network (HTTP, TCP, gRPC), by reading
 * what it reported (TTL), or from the check itself (maintenance, draining). Implementations never block the caller,
 * complete within the check's timeout (a timeout is a critical result, not an exception), and are thread-safe.
 */
public interface Prober extends AutoCloseable {

    CompletableFuture<CheckResult> probe(WatchedCheck watched);

    /** How often the check is looked at; by default its interval. */
    default Duration every(Check check) {
        return check.interval();
    }

    /**
     * Whether another member could see something else: true for probes over the network, which a member cut off
     * from the instances sees fail; false where every member reads the same thing. Only the former need the safety
     * valve's second opinion.
     */
    default boolean seenDifferentlyElsewhere() {
        return true;
    }

    /**
     * Where this prober's runs are best started: a single thread that starts a probe without handing it to another
     * (the prober's own event loop), or empty for the scheduler's threads. Runs must not block it.
     */
    default Optional<ScheduledExecutorService> startsRunsOn() {
        return Optional.empty();
    }

    /** Releases what the prober holds (connections); by default nothing. */
    @Override
    default void close() {
    }
}
