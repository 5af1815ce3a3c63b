package io.meridian.client;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Something made of a Hazelcast client's proxies, which cannot be made while the client has never reached the
 * cluster (a client started from a snapshot during an outage): made on the first use that succeeds, then kept.
 * {@link #get()} throws what making it threw, typically {@code HazelcastClientOfflineException}. Thread-safe.
 *
 * @param <T> what is made
 */
final class OnceOnline<T> {

    private final Supplier<T> maker;
    private volatile T made;

    OnceOnline(Supplier<T> maker) {
        this.maker = maker;
    }

    T get() {
        T value = made;
        if (value == null) {
            synchronized (this) {
                if (made == null) {
                    made = maker.get();
                }
                value = made;
            }
        }
        return value;
    }

    /** What was made, if it was. */
    Optional<T> ifMade() {
        return Optional.ofNullable(made);
    }

    /** What was made, or {@code null} if it was not yet: {@link #ifMade} for a hot path, allocating nothing. */
    T madeOrNull() {
        return made;
    }
}
