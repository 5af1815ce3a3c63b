package io.meridian.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.TooManyRequestsResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.server.Request;

import java.time.Duration;

/**
 * Applies the rate limits to each request as it arrives, by client address: reads and writes each have their own
 * bucket. A request takes one token, once, whichever handler answers it; a blocking query takes one when it arrives,
 * none while it waits. Scrapes of {@code /metrics} and the probes are not limited. A refused request is a 429 with
 * {@code Retry-After} (whole seconds, at least 1) and is counted in {@code meridian_http_rate_limited_total{kind}}.
 * Thread-safe.
 */
final class RequestLimits {

    /** The request attribute that says a request's token is already taken. */
    private static final String CHARGED = "meridian.rate-limit-charged";

    private final RateLimiter reads;
    private final RateLimiter writes;
    private final Counter limitedReads;
    private final Counter limitedWrites;

    RequestLimits(RateLimits limits, MeterRegistry meters) {
        this.reads = new RateLimiter(limits.readsPerSecond(), System::nanoTime);
        this.writes = new RateLimiter(limits.writesPerSecond(), System::nanoTime);
        this.limitedReads = counter(meters, "read");
        this.limitedWrites = counter(meters, "write");
    }

    private static Counter counter(MeterRegistry meters, String kind) {
        return Counter.builder("meridian.http.rate.limited").description("requests refused by the rate limits")
                .tag("kind", kind).register(meters);
    }

    /**
     * Takes a token of the client's bucket for reads or writes: {@link Duration#ZERO}, or how long until one is
     * there.
     */
    Duration acquire(boolean read, String clientAddress) {
        return (read ? reads : writes).acquire(clientAddress);
    }

    /** Marks a request whose token was taken before it reached the routes, so that {@link #check} takes none. */
    static void markCharged(Request request) {
        request.setAttribute(CHARGED, Boolean.TRUE);
    }

    /** @throws TooManyRequestsResponse if the client has no token left for this kind of request */
    void check(Context ctx) {
        if (ProbeEndpoints.isUnlimited(ctx.path()) || ctx.attribute(CHARGED) != null) {
            return;
        }
        boolean read = ctx.method().equals(HandlerType.GET) || ctx.method().equals(HandlerType.HEAD);
        Duration wait = acquire(read, ctx.ip());
        if (wait.isZero()) {
            return;
        }
        (read ? limitedReads : limitedWrites).increment();
        long retryAfter = Math.max(1, (wait.toMillis() + 999) / 1000);
        ctx.header("Retry-After", String.valueOf(retryAfter));
        throw new TooManyRequestsResponse("rate limit: too many " + (read ? "reads" : "writes") + " from "
                + ctx.ip() + "; retry after " + retryAfter + " s");
    }
}
