package io.meridian.registry.grid;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Moves per-key indexes forward with at most one step in flight per key: the writes that ask while one travels share
 * the next, which carries the highest of their indexes. Every write in a namespace moves that namespace's index, so
 * under load one entry (and its backups) took an entry processor per write; shared, a burst of writes takes two.
 * Each caller's stage completes once a step that covers its index is done, or fails as that step failed.
 * Thread-safe.
 */
final class SharedAdvances {

    private final BiFunction<String, Long, CompletionStage<?>> step;
    /** Per key with a step in flight: the writes waiting for the next one; guarded by itself. */
    private final Map<String, Waiting> inFlight = new HashMap<>();

    /** @param step sends one step moving the key's index past the given index */
    SharedAdvances(BiFunction<String, Long, CompletionStage<?>> step) {
        this.step = step;
    }

    /** Moves the key's index past {@code index}, alone or with the writes that ask while a step is under way. */
    CompletableFuture<Void> advance(String key, long index) {
        synchronized (inFlight) {
            Waiting waiting = inFlight.get(key);
            if (waiting != null) {
                return waiting.join(index);
            }
            inFlight.put(key, new Waiting());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        send(key, index, done);
        return done;
    }

    private void send(String key, long index, CompletableFuture<Void> done) {
        CompletionStage<?> sent;
        try {
            sent = step.apply(key, index);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((result, error) -> {
            if (error == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(error);
            }
            sendNext(key);
        });
    }

    /** Sends the step the writes that waited share, or ends the key's turn if none did. */
    private void sendNext(String key) {
        Waiting next;
        synchronized (inFlight) {
            next = inFlight.get(key);
            if (next.highest == Long.MIN_VALUE) {
                inFlight.remove(key);
                return;
            }
            inFlight.put(key, new Waiting());
        }
        send(key, next.highest, next.done);
    }

    /** The writes that asked while a step was in flight; guarded by the map that holds it. */
    private static final class Waiting {
        private long highest = Long.MIN_VALUE;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        CompletableFuture<Void> join(long index) {
            highest = Math.max(highest, index);
            return done;
        }
    }
}
