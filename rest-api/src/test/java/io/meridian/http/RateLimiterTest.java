package io.meridian.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The token buckets, on a clock the test moves. */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(4, now::get);

    @Test
    void aBucketHoldsOneSecondsWorthAndRefillsContinuously() {
        for (int i = 0; i < 4; i++) {
            assertEquals(Duration.ZERO, limiter.acquire("10.0.0.1"));
        }
        assertEquals(Duration.ofMillis(250), limiter.acquire("10.0.0.1"), "one token every 250 ms");
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertEquals(Duration.ofMillis(150), limiter.acquire("10.0.0.1"));
        now.addAndGet(Duration.ofMillis(150).toNanos());
        assertEquals(Duration.ZERO, limiter.acquire("10.0.0.1"));
        assertEquals(Duration.ZERO, limiter.acquire("10.0.0.2"), "every address has its own bucket");
    }

    @Test
    void aBucketNeverHoldsMoreThanOneSecondsWorth() {
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        for (int i = 0; i < 4; i++) {
            assertEquals(Duration.ZERO, limiter.acquire("10.0.0.3"));
        }
        assertEquals(Duration.ofMillis(250), limiter.acquire("10.0.0.3"));
    }

    @Test
    void noLimitIsNoLimit() {
        RateLimiter unlimited = new RateLimiter(0, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(Duration.ZERO, unlimited.acquire("10.0.0.4"));
        }
    }
}
