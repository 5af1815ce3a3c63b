package io.meridian.health.check;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gRPC checks against a real gRPC server with the standard health service, on loopback. */
class GrpcProberTest {

    private static final GrpcProber PROBER = new GrpcProber();
    private static final long SLOW_ANSWER_MILLIS = 600;
    private static final ScheduledExecutorService ANSWERS = Executors.newSingleThreadScheduledExecutor();
    private static Server server;
    /** Answers SERVING {@value #SLOW_ANSWER_MILLIS} ms after each call for service "slow", never for "silent". */
    private static Server slowServer;

    @BeforeAll
    static void startServer() throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus("orders", ServingStatus.SERVING);
        health.setStatus("billing", ServingStatus.NOT_SERVING);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(health.getHealthService()).build().start();
        slowServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> answer) {
                        if (request.getService().equals("slow")) {
                            ANSWERS.schedule(() -> {
                                answer.onNext(HealthCheckResponse.newBuilder()
                                        .setStatus(ServingStatus.SERVING).build());
                                answer.onCompleted();
                            }, SLOW_ANSWER_MILLIS, TimeUnit.MILLISECONDS);
                        }
                    }
                }).build().start();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        PROBER.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        slowServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        ANSWERS.shutdownNow();
    }

    @ParameterizedTest(name = "service \"{0}\" is {1}")
    @CsvSource({"'', PASSING", "orders, PASSING", "billing, CRITICAL", "unknown, CRITICAL"})
    void servingIsPassingAndEverythingElseCritical(String service, HealthStatus expected) throws Exception {
        String target = "127.0.0.1:" + server.getPort() + (service.isEmpty() ? "" : "/" + service);
        CheckResult result = PROBER.probe(ProbersTest.watched(check(target))).get(10, TimeUnit.SECONDS);
        assertEquals(expected, result.status(), result.output());
    }

    @ParameterizedTest(name = "nothing listening on {0} is critical")
    @CsvSource({"127.0.0.1:1"})
    void anUnreachableServerIsCritical(String target) throws Exception {
        assertEquals(HealthStatus.CRITICAL,
                PROBER.probe(ProbersTest.watched(check(target))).get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void aProberWhoseLoopWasStalledWaitsTheStallOutBeforeCallingATimeout() throws Exception {
        String slow = "127.0.0.1:" + slowServer.getPort() + "/slow";
        try (GrpcProber prober = new GrpcProber()) {
            // The loop is stalled before the call goes out: the answer then comes 1,400 ms into the run, past the
            // 1,000 ms timeout, though the target took only 600 ms of it.
            ProbersTest.stallLoop(prober, 800);
            CheckResult result = prober.probe(ProbersTest.watched(check(slow, 1_000))).get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.PASSING, result.status(), result.output());
        }
        String silent = "127.0.0.1:" + slowServer.getPort() + "/silent";
        try (GrpcProber prober = new GrpcProber()) {
            ProbersTest.stallLoop(prober, 800);
            CompletableFuture<CheckResult> run = prober.probe(ProbersTest.watched(check(silent, 1_000)));
            CheckResult timedOut = run.get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.CRITICAL, timedOut.status(), "a stall lengthens the wait, never ends it");
            assertTrue(timedOut.output().contains("timed out after 1000 ms"), timedOut.output());
        }
    }

    @Test
    void aChannelNoCheckUsesIsShutDownOnceIdleAndOneInUseIsKept() throws Exception {
        AtomicLong now = new AtomicLong();
        try (GrpcProber prober = new GrpcProber(Duration.ofMinutes(10), now::get)) {
            String live = "127.0.0.1:" + server.getPort();
            prober.probe(ProbersTest.watched(check(live))).get(10, TimeUnit.SECONDS);
            prober.probe(ProbersTest.watched(check("127.0.0.1:1"))).get(10, TimeUnit.SECONDS);
            assertEquals(2, prober.openChannels());

            now.addAndGet(Duration.ofMinutes(6).toNanos());
            prober.probe(ProbersTest.watched(check(live))).get(10, TimeUnit.SECONDS);
            now.addAndGet(Duration.ofMinutes(6).toNanos());
            CheckResult stillServing = prober.probe(ProbersTest.watched(check(live))).get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.PASSING, stillServing.status(), stillServing.output());
            assertEquals(1, prober.openChannels(), "the channel to the gone target was shut down");
        }
    }

    private static Check check(String target) {
        return check(target, 2_000);
    }

    private static Check check(String target, long timeoutMillis) {
        return new Check("grpc", "", CheckKind.GRPC, target, null, Duration.ofSeconds(5),
                Duration.ofMillis(timeoutMillis), null, null, null, HealthStatus.CRITICAL, "");
    }
}
