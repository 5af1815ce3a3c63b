package io.meridian.http;

import io.javalin.http.Context;
import io.javalin.http.TooManyRequestsResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds the reads of the committed state a node runs at once ({@code ?consistent} lookups and snapshots): each costs
 * Raft queries across the shards, so a burst of them slows every CP operation of the cluster, writes included, past
 * their timeouts. A read over the bound is refused at once, as a client over its rate limit is: 429 with
 * {@code Retry-After: 1}, counted in {@code meridian_http_rate_limited_total{kind="committed-state"}}. Thread-safe.
 */
final class CommittedStateReads {

    /** Reads of the committed state at once, per node. */
    static final int AT_ONCE = 4;

    private final Semaphore slots = new Semaphore(AT_ONCE);
    private final Counter refused;

    CommittedStateReads(MeterRegistry meters) {
        this.refused = Counter.builder("meridian.http.rate.limited").description("requests refused by the rate limits")
                .tag("kind", "committed-state").register(meters);
    }

    /** @throws TooManyRequestsResponse if {@value #AT_ONCE} such reads run already */
    <T> T read(Context ctx, Supplier<T> read) {
        if (!slots.tryAcquire()) {
            refused.increment();
            ctx.header("Retry-After", "1");
            throw new TooManyRequestsResponse("too many reads of the committed state at once on this node (at most "
                    + AT_ONCE + "); retry after 1 s, or read without ?consistent");
        }
        try {
            return read.get();
        } finally {
            slots.release();
        }
    }
}
