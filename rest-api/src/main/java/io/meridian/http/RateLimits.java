package io.meridian.http;

/**
 * How many requests each client address may make per second: reads ({@code GET}, {@code HEAD}) and writes (the
 * rest), each a token bucket holding one second's worth. 0 means no limit.
 */
public record RateLimits(int readsPerSecond, int writesPerSecond) {

    /** No limits. */
    public static final RateLimits NONE = new RateLimits(0, 0);

    public RateLimits {
        if (readsPerSecond < 0 || writesPerSecond < 0) {
            throw new IllegalArgumentException("rate limits must not be negative");
        }
    }
}
