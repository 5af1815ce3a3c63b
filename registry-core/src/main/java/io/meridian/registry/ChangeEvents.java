package io.meridian.registry;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The change-event stream: every committed change to an instance, in the order the cluster recorded it, kept for a
 * bounded time and count and replicated, read by any number of consumers, each from its own position. Delivery is at
 * least once: a consumer may see an event twice and drops the second by {@link ChangeEvent#id()}. Implementations are
 * thread-safe.
 */
public interface ChangeEvents {

    /** The position of the oldest event still kept; {@link #nextPosition()} when none is. */
    long oldestPosition();

    /** The position the next event will take: where a consumer that wants only new events starts. */
    long nextPosition();

    /**
     * The events from {@code position} on, at most {@code max}, completing as soon as there is at least one. It never
     * completes while there is none: the caller bounds the wait, and completes or cancels the future when it stops
     * waiting, which ends the wait and leaves nothing behind.
     *
     * @throws IllegalArgumentException if {@code position} is past {@link #nextPosition()} or negative, or {@code max}
     *                                  is not positive
     * @return a future that fails with {@link ChangesExpiredException} if events from {@code position} on are gone
     */
    CompletableFuture<List<PositionedChange>> readFrom(long position, int max);
}
