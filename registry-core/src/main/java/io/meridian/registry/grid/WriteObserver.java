package io.meridian.registry.grid;

/**
 * Told, for each write, how long its Raft commit took and how long moving the projection forward took after it; and
 * how many service parts anti-entropy re-applied, each a projection write that had been lost. Called on the writing
 * thread: it must be quick and must not throw.
 */
public interface WriteObserver {

    /** Observes nothing. */
    WriteObserver NONE = new WriteObserver() {
    };

    default void committed(long nanos) {
    }

    default void projected(long nanos) {
    }

    default void repaired(int serviceParts) {
    }
}
