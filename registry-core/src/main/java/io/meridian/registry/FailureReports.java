package io.meridian.registry;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Passive health reports: a client that failed to reach an instance says so, and the member that checks the
 * instance checks it at once. Implementations are thread-safe.
 */
public interface FailureReports {

    /**
     * Has the instance checked now by the member that owns its checks; a failing check makes it critical at once,
     * without waiting for damping.
     *
     * @return the instance's health after the check, or empty if no member checks it (unknown, or it has no checks)
     */
    CompletableFuture<Optional<HealthStatus>> reportFailure(String namespace, String instanceId);
}
