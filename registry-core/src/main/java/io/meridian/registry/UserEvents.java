package io.meridian.registry;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Consul's user events ({@code /v1/event}): fired at the cluster, every member hears each one, and each keeps the
 * latest {@link #KEPT} it heard, in the order fired. Each event heard moves an index forward, which a watcher of the
 * list waits on. Implementations are thread-safe.
 */
public interface UserEvents {

    /** How many of the latest events a member keeps, as a Consul agent does. */
    int KEPT = 256;

    /**
     * Fires the event at the cluster; returns once the cluster has stored it.
     *
     * @throws IllegalArgumentException if its payload is longer than {@link UserEvent#MAX_PAYLOAD_BYTES}
     */
    void fire(UserEvent event);

    /** The events this member heard, oldest first, at most {@link #KEPT}. */
    List<UserEvent> recent();

    /** The index of the latest event heard; 1 before any. */
    long index();

    /** Completes with the index once it is past {@code afterIndex}: at once if it already is. */
    CompletableFuture<Long> awaitAfter(long afterIndex);
}
