package io.meridian.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Times every HTTP request by route (the matched path template, so {@code /v1/health/service/{name}} is one series
 * however many services there are), method and status: {@code meridian_http_requests_seconds}, with a histogram.
 * A blocking query is timed until it is answered. Thread-safe.
 */
final class RequestMeters {

    private final MeterRegistry meters;

    RequestMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(Context ctx, float millis) {
        Endpoint matched = ctx.endpoints().lastHttpEndpoint();
        Timer.builder("meridian.http.requests")
                .description("HTTP requests by route, method and status")
                .tag("route", matched == null ? "unmatched" : matched.path)
                .tag("method", ctx.method().name())
                .tag("status", String.valueOf(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(meters)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }
}
