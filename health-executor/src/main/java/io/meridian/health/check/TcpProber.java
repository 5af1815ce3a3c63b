package io.meridian.health.check;

import io.meridian.registry.Check;
import io.meridian.registry.HealthStatus;
import io.netty.channel.ChannelFuture;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * TCP checks: a connection accepted within the timeout is passing; a refusal or no answer is critical. Every run opens
 * a new connection and closes it once accepted ({@link CheckConnections}). Thread-safe; {@link #close()} stops its
 * event loop.
 */
public final class TcpProber extends ConnectingProber {

    public TcpProber() {
        super("meridian-tcp-checks");
    }


    @Override
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        Check check = watched.check();
        String target = check.target();
        int colon = target.lastIndexOf(':');
        String host = target.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(target.substring(colon + 1));
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        Duration timeout = check.effectiveTimeout();
        ChannelFuture connecting = connections.connect(new InetSocketAddress(host, port), timeout, result,
                () -> critical(target, "timed out after " + timeout.toMillis() + " ms"), channel -> { });
        connecting.addListener(connected -> result.complete(connected.isSuccess()
                ? new CheckResult(HealthStatus.PASSING, "TCP connect " + target + ": Success")
                : critical(target, connected.cause().getClass().getSimpleName()
                        + (connected.cause().getMessage() == null ? "" : " " + connected.cause().getMessage()))));
        return result;
    }

    private static CheckResult critical(String target, String why) {
        return new CheckResult(HealthStatus.CRITICAL, "TCP connect " + target + ": " + why);
    }
}
