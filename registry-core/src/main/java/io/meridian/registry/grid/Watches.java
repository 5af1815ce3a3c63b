package io.meridian.registry.grid;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Shared waiters for blocking queries: one per key, however many callers wait on it. A change event for a key reads
 * its value once, on the notifier, and completes the future of every caller waiting on that key. Nothing a request
 * does is kept longer than it needs:
 * <ul>
 *     <li>a caller's future leaves its waiter as soon as it completes, whoever completes it (a change, or the caller
 *     giving up at its timeout);</li>
 *     <li>{@link #current} reads a key that does not exist ({@code exists} says so) without making it a waiter;</li>
 *     <li>a waiter nobody has asked for in {@code idleAfter} and with no caller waiting is dropped by
 *     {@link #evictIdle}, which the owner runs on a timer.</li>
 * </ul>
 * The key's {@link Followers} are told when it gets a waiter and when it loses it. Thread-safe.
 *
 * @param <V> what a waiter is completed with
 */
final class Watches<V> {

    /**
     * Told when a key gets a waiter and when its waiter is dropped, so that its change events need be heard only
     * while it has one. Each call names the waiter: a key may get a new waiter before the drop of the old one is told.
     */
    interface Followers {

        /** Followers that need not be told. */
        Followers NONE = new Followers() {
            @Override
            public void follow(String key, Object waiter) {
            }

            @Override
            public void unfollow(String key, Object waiter) {
            }
        };

        /** The key has a new waiter; its changes are wanted. */
        void follow(String key, Object waiter);

        /** The key's waiter was dropped; its changes are not wanted unless a newer waiter follows it. */
        void unfollow(String key, Object waiter);
    }

    /** Reads a key's value, at the given index or later if it can. */
    private final BiFunction<String, Long, V> reader;
    private final ToLongFunction<V> indexOf;
    private final Predicate<V> exists;
    private final Executor notifier;
    private final Clock clock;
    private final Duration idleAfter;
    private final Followers followers;
    private final ConcurrentMap<String, Watch> watches = new ConcurrentHashMap<>();

    Watches(BiFunction<String, Long, V> reader, ToLongFunction<V> indexOf, Predicate<V> exists, Executor notifier,
            Clock clock, Duration idleAfter, Followers followers) {
        this.reader = reader;
        this.indexOf = indexOf;
        this.exists = exists;
        this.notifier = notifier;
        this.clock = clock;
        this.idleAfter = idleAfter;
        this.followers = followers;
    }

    /**
     * The key's value as its waiter holds it, with no read and no lock while the waiter is current. A waiter is kept
     * current by change events ({@link #changed}); it is read afresh, from this member's copy, when an event or this
     * member's own write ({@link #wrote}) announced a newer index than it holds, or when it is older than
     * {@code maxAge} (a bound should an event be lost). So a read after a write this member acknowledged sees it. The
     * first read of a key that exists creates its waiter; a key that does not exist is read each time.
     */
    V current(String key, Duration maxAge) {
        V held = held(key, maxAge);
        if (held != null) {
            return held;
        }
        Instant reading = clock.instant();
        return newest(key, reader.apply(key, 0L), reading);
    }

    /**
     * What {@link #current} answers without a read, or {@code null} if it would have to read: the key has no waiter,
     * or its waiter lacks an announced index or is older than {@code maxAge}. No read, no lock.
     */
    V held(String key, Duration maxAge) {
        Watch watch = watches.get(key);
        return watch == null ? null : watch.ifCurrent(clock.millis(), maxAge.toMillis());
    }

    /**
     * The newer of {@code read}, a value the caller read itself at {@code reading}, and what the key's waiter holds.
     * The read is offered to the waiter first (waking its callers if it is newer), so no later answer for the key on
     * this member goes below it. A key that does not exist makes no waiter.
     */
    V newest(String key, V read, Instant reading) {
        Watch watch = exists.test(read) ? watchOf(key) : watches.get(key);
        return watch == null ? read : watch.newest(read, reading);
    }

    /**
     * Tells the key's waiter, if it has one, that this member wrote the key at {@code index}: until it holds that
     * index, {@link #current} reads the key afresh. Called once the write is in this member's copy, before the write
     * is acknowledged.
     */
    void wrote(String key, long index) {
        Watch watch = watches.get(key);
        if (watch != null) {
            watch.announce(index);
        }
    }

    /**
     * Completes with the key's value once its index is past {@code afterIndex}; a key that does not exist yet is
     * waited on too, for its creation. The caller may complete the future itself (with {@code null}, at its timeout)
     * to stop waiting: it then leaves nothing behind.
     */
    CompletableFuture<V> await(String key, long afterIndex) {
        return watchOf(key).await(afterIndex);
    }

    /**
     * As {@link #await}, for a caller that must not block: the same wait, or {@code null}, starting none, where
     * {@link #await} would read first (the key has no waiter, or its value lacks an index this member announced).
     */
    CompletableFuture<V> awaitHeld(String key, long afterIndex) {
        Watch watch = watches.get(key);
        return watch == null ? null : watch.awaitHeld(afterIndex);
    }

    /** Drops the waiters nobody asked for in {@code idleAfter} and nobody waits on. */
    void evictIdle() {
        watches.forEach((key, watch) -> {
            if (watch.isIdle() && watches.remove(key, watch)) {
                followers.unfollow(key, watch);
            }
        });
    }

    /** The key's waiter, made (and its followers told) if it has none. */
    private Watch watchOf(String key) {
        Watch held = watches.get(key);
        if (held != null) {
            return held;
        }
        Watch made = new Watch(key);
        held = watches.putIfAbsent(key, made);
        if (held != null) {
            return held;
        }
        followers.follow(key, made);
        return made;
    }

    /** How many keys have a waiter. */
    int size() {
        return watches.size();
    }

    /** Tells the waiters of a key that it changed to {@code index}; called from entry listeners. */
    void changed(String key, long index) {
        Watch watch = watches.get(key);
        if (watch != null) {
            watch.announce(index);
            notifier.execute(() -> watch.refresh(index));
        }
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
        private volatile V latest;
        private volatile long readAtMillis;
        /** When {@link #latest} was read; guarded by this. */
        private long latestReadAtMillis;
        /** The highest index a change event or a write of this member announced for the key. */
        private final AtomicLong announced = new AtomicLong();
        private final Set<CompletableFuture<V>> waiting = ConcurrentHashMap.newKeySet();
        private volatile long lastAskedMillis;

        Watch(String key) {
            this.key = key;
            this.lastAskedMillis = clock.millis();
        }

        CompletableFuture<V> await(long afterIndex) {
            asked(clock.millis());
            synchronized (this) {
                // A write of this member is in its copy before it is acknowledged: read the copy rather than answer
                // a value from before it.
                if (mustRead()) {
                    refresh(0);
                }
                return awaitLatest(afterIndex);
            }
        }

        /** As {@link #await}, or null if that would read first. */
        CompletableFuture<V> awaitHeld(long afterIndex) {
            asked(clock.millis());
            synchronized (this) {
                return mustRead() ? null : awaitLatest(afterIndex);
            }
        }

        /** Whether the value held is missing or older than an index announced for the key; holds this. */
        private boolean mustRead() {
            return latest == null || indexOf.applyAsLong(latest) < announced.get();
        }

        /** The latest value if it is past {@code afterIndex}, else a future that waits for the next; holds this. */
        private CompletableFuture<V> awaitLatest(long afterIndex) {
            if (indexOf.applyAsLong(latest) > afterIndex) {
                return CompletableFuture.completedFuture(latest);
            }
            CompletableFuture<V> caller = new CompletableFuture<>();
            waiting.add(caller);
            caller.whenComplete((value, error) -> waiting.remove(caller));
            return caller;
        }

        /** What the waiter holds, if it holds every announced index and was read within {@code maxAgeMillis}. */
        V ifCurrent(long now, long maxAgeMillis) {
            asked(now);
            V held = latest;
            return held != null && indexOf.applyAsLong(held) >= announced.get() && now - readAtMillis <= maxAgeMillis
                    ? held : null;
        }

        V newest(V read, Instant reading) {
            asked(reading.toEpochMilli());
            offer(read, reading);
            return latest;
        }

        void announce(long index) {
            announced.accumulateAndGet(index, Math::max);
        }

        /** Notes that a caller asked now; written only when the millisecond moved, since many readers share it. */
        private void asked(long now) {
            if (lastAskedMillis != now) {
                lastAskedMillis = now;
            }
        }

        void refresh(long atLeastIndex) {
            Instant reading = clock.instant();
            offer(reader.apply(key, atLeastIndex), reading);
        }

        /**
         * Takes a value read at {@code reading}, and wakes the callers waiting if its index is newer than the last.
         * A value at the same index that differs, read no earlier than the one held, replaces it without waking
         * anyone: this member's copy caught up with what the index already announced (a backup copy repaired by
         * Hazelcast's replica sync), and holding the older value would answer it until the key's next change.
         */
        void offer(V value, Instant reading) {
            List<CompletableFuture<V>> woken;
            synchronized (this) {
                long readingMillis = reading.toEpochMilli();
                readAtMillis = Math.max(readAtMillis, readingMillis);
                long offered = indexOf.applyAsLong(value);
                long held = latest == null ? Long.MIN_VALUE : indexOf.applyAsLong(latest);
                if (offered < held || offered == held && (readingMillis < latestReadAtMillis || value.equals(latest))) {
                    return;
                }
                latestReadAtMillis = readingMillis;
                latest = value;
                if (offered == held) {
                    return;
                }
                woken = List.copyOf(waiting);
            }
            woken.forEach(caller -> caller.complete(value));
        }

        boolean isIdle() {
            return waiting.isEmpty() && lastAskedMillis + idleAfter.toMillis() < clock.millis();
        }
    }
}
