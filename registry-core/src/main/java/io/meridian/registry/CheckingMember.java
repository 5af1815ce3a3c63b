package io.meridian.registry;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The health checker of one member, as failure reports reach it. Implementations are thread-safe. */
public interface CheckingMember {

    /**
     * Probes the instance's checks now, if this member runs them; a failing probe makes its check critical at once,
     * without damping.
     *
     * @return the instance's health afterwards, or empty if this member does not check the instance
     */
    CompletableFuture<Optional<HealthStatus>> checkNow(String namespace, String instanceId);
}
