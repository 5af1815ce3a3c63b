package io.meridian.health.check;

import io.meridian.registry.Check;
import io.meridian.registry.HealthStatus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** TCP checks: a connection accepted within the timeout is passing; a refusal or no answer is critical. */
public final class TcpProber implements Prober {

    @Override
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        Check check = watched.check();
        String target = check.target();
        int colon = target.lastIndexOf(':');
        String host = target.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(target.substring(colon + 1));
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                    "TCP connect " + target + ": no socket: " + e.getMessage()));
        }
        channel.connect(new InetSocketAddress(host, port), null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void ignored, Void attachment) {
                result.complete(new CheckResult(HealthStatus.PASSING, "TCP connect " + target + ": Success"));
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                result.complete(new CheckResult(HealthStatus.CRITICAL, "TCP connect " + target + ": "
                        + error.getClass().getSimpleName() + (error.getMessage() == null ? "" : " " + error.getMessage())));
            }
        });
        long timeoutMillis = check.effectiveTimeout().toMillis();
        return result.completeOnTimeout(new CheckResult(HealthStatus.CRITICAL,
                        "TCP connect " + target + ": timed out after " + timeoutMillis + " ms"),
                        timeoutMillis, TimeUnit.MILLISECONDS)
                .whenComplete((done, error) -> close(channel));
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the probe has its answer; a failure to close a finished socket changes nothing
        }
    }
}
