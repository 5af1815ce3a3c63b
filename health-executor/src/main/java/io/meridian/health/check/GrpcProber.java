package io.meridian.health.check;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meridian.registry.Check;
import io.meridian.registry.HealthStatus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * gRPC checks through the standard {@code grpc.health.v1.Health/Check}: the target is {@code host:port} or
 * {@code host:port/service}; SERVING is passing, anything else, an error or no answer within the timeout critical.
 * One plaintext channel per {@code host:port} is kept and reused; {@link #close()} shuts them down.
 */
public final class GrpcProber implements Prober {

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<CheckResult> probe(Check check) {
        String target = check.target();
        int slash = target.indexOf('/');
        String address = slash < 0 ? target : target.substring(0, slash);
        String service = slash < 0 ? "" : target.substring(slash + 1);
        ManagedChannel channel = channels.computeIfAbsent(address, GrpcProber::open);
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        Futures.addCallback(HealthGrpc.newFutureStub(channel)
                        .withDeadlineAfter(check.effectiveTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .check(HealthCheckRequest.newBuilder().setService(service).build()),
                new FutureCallback<HealthCheckResponse>() {
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
                                + status.getCode() + (status.getDescription() == null ? ""
                                : " " + status.getDescription())));
                    }
                }, MoreExecutors.directExecutor());
        return result;
    }

    private static ManagedChannel open(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        return NettyChannelBuilder.forAddress(host, Integer.parseInt(address.substring(colon + 1)))
                .usePlaintext()
                .build();
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
