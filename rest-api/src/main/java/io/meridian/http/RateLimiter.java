package io.meridian.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Token buckets per client address and kind of request. A bucket holds one second's worth of tokens and refills
 * continuously; a request takes one token or is told how long until one is there. Buckets idle for a minute are
 * dropped (an idle bucket is full, so nothing is lost). Thread-safe.
 */
final class RateLimiter {

    private static final long SECOND = 1_000_000_000L;
    private static final long IDLE_NANOS = 60 * SECOND;

    private final int perSecond;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /** A limiter of {@code perSecond} requests per second per address (0: none), timed by {@code nanoTime}. */
    RateLimiter(int perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
    }

    /** Takes a token for the address: {@link Duration#ZERO} if it got one, else how long until one is there. */
    Duration acquire(String address) {
        if (perSecond == 0) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        sweep(now);
        Bucket bucket = buckets.computeIfAbsent(address, key -> new Bucket(perSecond, now));
        return Duration.ofNanos(bucket.take(now, perSecond));
    }

    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last > IDLE_NANOS && lastSweep.compareAndSet(last, now)) {
            buckets.values().removeIf(bucket -> bucket.idleSince(now) > IDLE_NANOS);
        }
    }

    /** Tokens, counted in nanoseconds of refill so that the arithmetic stays exact. */
    private static final class Bucket {
        private long tokenNanos;
        private long updatedAt;

        Bucket(int perSecond, long now) {
            this.tokenNanos = (long) perSecond * (SECOND / perSecond);
            this.updatedAt = now;
        }

        /** Takes a token; returns 0, or the nanoseconds until a token is there (nothing taken). */
        synchronized long take(long now, int perSecond) {
            long costNanos = SECOND / perSecond;
            long capacity = perSecond * costNanos;
            tokenNanos = Math.min(capacity, tokenNanos + (now - updatedAt));
            updatedAt = now;
            if (tokenNanos >= costNanos) {
                tokenNanos -= costNanos;
                return 0;
            }
            return costNanos - tokenNanos;
        }

        synchronized long idleSince(long now) {
            return now - updatedAt;
        }
    }
}
