package io.meridian.health.check;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.meridian.registry.Check;
import io.meridian.registry.HealthStatus;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * gRPC checks through the standard {@code grpc.health.v1.Health/Check}: the target is {@code host:port} or
 * {@code host:port/service}; SERVING is passing, anything else, an error or no answer within the timeout critical.
 * One plaintext channel per {@code host:port} is kept and reused while checks use it; a channel no probe has used for
 * {@code idleAfter} is shut down (gracefully: a call under way finishes), so targets that come and go do not pile up
 * channels. Every channel runs on one event loop of the prober's own (epoll where gRPC's shaded Netty loads it), where
 * runs start and answers are read, and a run's timeout allows for that loop's stalls as {@link LoopStalls} says: a
 * starved checker reports late rather than calling healthy targets critical. gRPC's own deadline, at twice the
 * timeout, is only a backstop. {@link #close()} shuts the channels and the loop down.
 */
public final class GrpcProber implements Prober {

    /** How long an unused channel is kept: longer than any check's interval, so a live check keeps its channel. */
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

    private record Channel(ManagedChannel channel, long lastUsedNanos) {
    }

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup loop = newLoop(epoll);
    private final LoopStalls stalls = LoopStalls.watch(loop.next());
    private final Duration idleAfter;
    private final LongSupplier nanoTime;
    private final AtomicLong lastSweepNanos;

    public GrpcProber() {
        this(DEFAULT_IDLE, System::nanoTime);
    }

    /** A prober on its own clock: for tests of the eviction. */
    GrpcProber(Duration idleAfter, LongSupplier nanoTime) {
        this.idleAfter = idleAfter;
        this.nanoTime = nanoTime;
        this.lastSweepNanos = new AtomicLong(nanoTime.getAsLong());
    }

    @Override
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        Check check = watched.check();
        String target = check.target();
        int slash = target.indexOf('/');
        String address = slash < 0 ? target : target.substring(0, slash);
        String service = slash < 0 ? "" : target.substring(slash + 1);
        evictIdle();
        long now = nanoTime.getAsLong();
        ManagedChannel channel = channels.compute(address, (key, held) ->
                new Channel(held == null ? open(key) : held.channel(), now)).channel();
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        long timeoutMillis = check.effectiveTimeout().toMillis();
        ListenableFuture<HealthCheckResponse> call = HealthGrpc.newFutureStub(channel)
                .withDeadlineAfter(2 * timeoutMillis, TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build());
        stalls.timeOut(result, () -> new CheckResult(HealthStatus.CRITICAL,
                "gRPC check " + target + ": timed out after " + timeoutMillis + " ms"),
                TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        result.whenComplete((done, error) -> call.cancel(true));
        Futures.addCallback(call, new FutureCallback<HealthCheckResponse>() {
            @Override
            public void onSuccess(HealthCheckResponse response) {
                boolean serving = response.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
                result.complete(new CheckResult(serving ? HealthStatus.PASSING : HealthStatus.CRITICAL,
                        "gRPC check " + target + ": " + response.getStatus()));
            }

            @Override
            public void onFailure(Throwable error) {
                Status status = error instanceof StatusRuntimeException rpc ? rpc.getStatus()
                        : Status.fromThrowable(error);
                result.complete(new CheckResult(HealthStatus.CRITICAL, "gRPC check " + target + ": "
                        + status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription())));
            }
        }, MoreExecutors.directExecutor());
        return result;
    }

    /** The prober's event loop: runs started there open and call with no hand-over. */
    @Override
    public Optional<ScheduledExecutorService> startsRunsOn() {
        return Optional.of(loop.next());
    }

    /** Shuts down the channels unused for {@code idleAfter}; runs at most once per {@code idleAfter}. */
    private void evictIdle() {
        long now = nanoTime.getAsLong();
        long last = lastSweepNanos.get();
        if (now - last < idleAfter.toNanos() || !lastSweepNanos.compareAndSet(last, now)) {
            return;
        }
        for (String address : channels.keySet()) {
            channels.computeIfPresent(address, (key, held) -> {
                if (now - held.lastUsedNanos() < idleAfter.toNanos()) {
                    return held;
                }
                held.channel().shutdown();
                return null;
            });
        }
    }

    /** How many channels are open. */
    int openChannels() {
        return channels.size();
    }

    private static EventLoopGroup newLoop(boolean epoll) {
        DefaultThreadFactory threads = new DefaultThreadFactory("meridian-grpc-checks", true);
        return epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    }

    private ManagedChannel open(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        return NettyChannelBuilder.forAddress(host, Integer.parseInt(address.substring(colon + 1)))
                .eventLoopGroup(loop)
                .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                // Answers complete their runs on the loop that read them: nothing here blocks.
                .directExecutor()
                .usePlaintext()
                .build();
    }

    @Override
    public void close() {
        channels.values().forEach(held -> held.channel().shutdownNow());
        channels.clear();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
