package io.meridian.health.check;

import io.meridian.registry.Check;

import java.util.concurrent.CompletableFuture;

/**
 * Asks an instance how it is, for one kind of check. Implementations never block the caller, complete within the
 * check's timeout (a timeout is a critical result, not an exception), and are thread-safe.
 */
public interface Prober extends AutoCloseable {

    CompletableFuture<CheckResult> probe(Check check);

    /** Releases what the prober holds (connections); by default nothing. */
    @Override
    default void close() {
    }
}
