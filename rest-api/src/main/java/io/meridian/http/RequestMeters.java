package io.meridian.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request by route (the matched path template, so {@code /v1/health/service/{name}} is one series
 * however many services there are), method and status: {@code meridian_http_requests_seconds}, with a histogram.
 * A blocking query is timed until it is answered. Thread-safe.
 */
final class RequestMeters {

    private record Series(String route, String method, int status) {
    }

    private final MeterRegistry meters;
    /** Bounded: routes are templates, and methods and statuses are the few the server answers with. */
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    RequestMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(Context ctx, float millis) {
        Endpoint matched = ctx.endpoints().lastHttpEndpoint();
        record(matched == null ? "unmatched" : matched.path, ctx.method().name(), ctx.statusCode(),
                (long) (millis * 1_000_000));
    }

    /** Records one request answered on {@code route} (a path template) with {@code status}, which took the nanos. */
    void record(String route, String method, int status, long nanos) {
        timers.computeIfAbsent(new Series(route, method, status), series -> Timer.builder("meridian.http.requests")
                        .description("HTTP requests by route, method and status")
                        .tag("route", series.route())
                        .tag("method", series.method())
                        .tag("status", String.valueOf(series.status()))
                        .publishPercentileHistogram()
                        .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
