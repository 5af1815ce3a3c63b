package io.meridian.health.check;

import io.meridian.registry.Check;
import io.meridian.registry.HealthStatus;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP checks as Consul runs them: the check's method, headers and body; 2xx is passing, 429 warning, anything else
 * or no answer within the timeout critical; the first 4 KiB of the body become the output.
 */
public final class HttpProber implements Prober {

    /** How much of a response body is kept as output. */
    public static final int MAX_OUTPUT_BYTES = 4096;

    private final HttpClient verifying;
    private final HttpClient trusting;

    public HttpProber() {
        this.verifying = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        this.trusting = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(trustingContext()).build();
    }

    @Override
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        Check check = watched.check();
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(check.target()))
                    .timeout(check.effectiveTimeout())
                    .method(check.http().method(), check.http().body().isEmpty()
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(check.http().body()));
            for (Map.Entry<String, List<String>> header : check.http().headers().entrySet()) {
                header.getValue().forEach(value -> builder.header(header.getKey(), value));
            }
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                    "cannot build the request for " + check.target() + ": " + e.getMessage()));
        }
        HttpClient client = check.http().tlsSkipVerify() ? trusting : verifying;
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> result(check, response))
                .exceptionally(error -> failure(check, error))
                .completeOnTimeout(new CheckResult(HealthStatus.CRITICAL, describe(check) + ": timed out after "
                        + check.effectiveTimeout().toMillis() + " ms"), check.effectiveTimeout().toMillis() + 500,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static CheckResult result(Check check, HttpResponse<java.io.InputStream> response) {
        String body;
        try (java.io.InputStream stream = response.body()) {
            body = new String(stream.readNBytes(MAX_OUTPUT_BYTES), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            body = "(body unreadable: " + e.getMessage() + ")";
        }
        int code = response.statusCode();
        HealthStatus status = code >= 200 && code < 300 ? HealthStatus.PASSING
                : code == 429 ? HealthStatus.WARNING : HealthStatus.CRITICAL;
        return new CheckResult(status, describe(check) + ": " + code + " Output: " + body);
    }

    private static CheckResult failure(Check check, Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        String reason = cause instanceof HttpTimeoutException
                ? "timed out after " + check.effectiveTimeout().toMillis() + " ms"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new CheckResult(HealthStatus.CRITICAL, describe(check) + ": " + reason);
    }

    private static String describe(Check check) {
        return "HTTP " + check.http().method() + " " + check.target();
    }

    private static SSLContext trustingContext() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }
}
