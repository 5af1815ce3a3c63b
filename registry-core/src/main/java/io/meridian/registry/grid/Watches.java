package io.meridian.registry.grid;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * Shared waiters for blocking queries: one per key, however many callers wait on it. A change event for a key reads
 * its value once, on the notifier, and completes the one future every waiter of that key holds. A waiter that nobody
 * has asked for in {@code idleAfter} is dropped at its next change. Thread-safe.
 *
 * @param <V> what a waiter is completed with
 */
final class Watches<V> {

    /** Reads a key's value, at the given index or later if it can. */
    private final BiFunction<String, Long, V> reader;
    private final ToLongFunction<V> indexOf;
    private final Executor notifier;
    private final Clock clock;
    private final Duration idleAfter;
    private final ConcurrentMap<String, Watch> watches = new ConcurrentHashMap<>();

    Watches(BiFunction<String, Long, V> reader, ToLongFunction<V> indexOf, Executor notifier, Clock clock, Duration idleAfter) {
        this.reader = reader;
        this.indexOf = indexOf;
        this.notifier = notifier;
        this.clock = clock;
        this.idleAfter = idleAfter;
    }

    /**
     * The key's value as its waiter holds it: kept current by change events, and read afresh if older than
     * {@code maxAge} (a bound should an event be lost). The first read of a key creates its waiter.
     */
    V current(String key, Duration maxAge) {
        Watch watch = watches.computeIfAbsent(key, Watch::new);
        return watch.current(maxAge);
    }

    /** Completes with the key's value once its index is past {@code afterIndex}. */
    CompletableFuture<V> await(String key, long afterIndex) {
        Watch watch = watches.computeIfAbsent(key, Watch::new);
        return watch.await(afterIndex);
    }

    /** Tells the waiters of a key that it changed to {@code index}; called from entry listeners. */
    void changed(String key, long index) {
        Watch watch = watches.get(key);
        if (watch == null) {
            return;
        }
        if (watch.isIdle()) {
            watches.remove(key, watch);
            return;
        }
        notifier.execute(() -> watch.refresh(index));
    }

    /**
     * Has every waiter read its key again: for when change events may have been lost, as while a client was
     * disconnected. Waiters whose key moved on are completed as by a change event.
     */
    void refreshAll() {
        watches.values().forEach(watch -> notifier.execute(() -> watch.refresh(0)));
    }

    private final class Watch {
        private final String key;
        private V latest;
        private Instant readAt = Instant.MIN;
        private CompletableFuture<V> next = new CompletableFuture<>();
        private volatile Instant lastAwaited;

        Watch(String key) {
            this.key = key;
            this.lastAwaited = clock.instant();
        }

        CompletableFuture<V> await(long afterIndex) {
            lastAwaited = clock.instant();
            synchronized (this) {
                if (latest == null) {
                    refresh(0);
                }
                if (indexOf.applyAsLong(latest) > afterIndex) {
                    return CompletableFuture.completedFuture(latest);
                }
                return next;
            }
        }

        V current(Duration maxAge) {
            lastAwaited = clock.instant();
            synchronized (this) {
                if (latest == null || readAt.plus(maxAge).isBefore(clock.instant())) {
                    refresh(0);
                }
                return latest;
            }
        }

        void refresh(long atLeastIndex) {
            Instant reading = clock.instant();
            V value = reader.apply(key, atLeastIndex);
            CompletableFuture<V> waiting;
            synchronized (this) {
                readAt = reading;
                if (latest != null && indexOf.applyAsLong(value) <= indexOf.applyAsLong(latest)) {
                    return;
                }
                latest = value;
                waiting = next;
                next = new CompletableFuture<>();
            }
            waiting.complete(value);
        }

        boolean isIdle() {
            return lastAwaited.plus(idleAfter).isBefore(clock.instant());
        }
    }
}
