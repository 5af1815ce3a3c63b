package io.meridian.health.schedule;

import com.hazelcast.map.IMap;
import com.sun.net.httpserver.HttpServer;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Thresholds;
import io.meridian.registry.TtlLease;
import io.meridian.registry.Weights;
import io.meridian.registry.grid.GridNames;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.WriteObserver;
import io.meridian.health.testing.CheckingCluster;
import io.meridian.health.testing.SteppedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health checks run by the members of a real cluster against a real HTTP server on loopback. */
class CheckSchedulerTest {

    private static final String NS = ServiceInstance.DEFAULT_NAMESPACE;
    private final AtomicInteger answer = new AtomicInteger(200);
    private final SteppedClock clock = new SteppedClock();
    private CheckingCluster cluster;
    private HttpServer target;

    @BeforeEach
    void start() throws IOException {
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        target.start();
        cluster = new CheckingCluster(clock);
    }

    @AfterEach
    void stop() {
        cluster.close();
        target.stop(0);
    }

    @Test
    void aCheckTurnsPassingThenCriticalWithDampingAndItsInstanceIsDeregisteredAfterItsDeadline() {
        Set<String> committingThreads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < cluster.schedulers().size(); i++) {
            cluster.registry(i).observeWrites(new WriteObserver() {
                @Override
                public void committed(long nanos) {
                    committingThreads.add(Thread.currentThread().getName());
                }
            });
        }
        HazelcastRegistry registry = cluster.registry(0);
        registry.register(instance("checked-1", new Thresholds(0, 0, 2), Duration.ofSeconds(3)));

        await().atMost(Duration.ofSeconds(10)).until(() -> health("checked-1") == HealthStatus.PASSING);
        answer.set(500);
        await().atMost(Duration.ofSeconds(10)).until(() -> health("checked-1") == HealthStatus.CRITICAL);
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.service(NS, "checked").instances().isEmpty());
        assertTrue(committingThreads.contains("meridian-check-records"), committingThreads::toString);
        assertTrue(committingThreads.stream().noneMatch(name -> name.equals("meridian-checks")),
                () -> "status commits ran on the scheduler's threads: " + committingThreads);
    }

    @Test
    void aStatusChangeIsWrittenOnceNotOnEveryRun() throws InterruptedException {
        HazelcastRegistry registry = cluster.registry(0);
        registry.register(instance("steady-1", Thresholds.NONE, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> health("steady-1") == HealthStatus.PASSING);
        long index = registry.service(NS, "checked").index();

        long runsBefore = totalRuns();
        await().atMost(Duration.ofSeconds(10)).until(() -> totalRuns() >= runsBefore + 3);

        assertEquals(index, registry.service(NS, "checked").index(), "passing runs after the first change nothing");
        assertTrue(totalRuns() >= runsBefore + 3);
    }

    @Test
    void aLeaseThatCannotBeReadSkipsTheRunAndTheCheckGoesOn() throws InterruptedException {
        HazelcastRegistry registry = cluster.registry(0);
        Check ttl = new Check("ttl:leased-1", "", CheckKind.TTL, "", null, null, null, Duration.ofSeconds(2), null,
                null, HealthStatus.CRITICAL, "");
        registry.register(new ServiceInstance(NS, "checked", "leased-1", "127.0.0.1", 8080, List.of(), Map.of(),
                Weights.DEFAULT, false, List.of(ttl), ""));
        IMap<String, Object> leases = cluster.members().member(0).getMap(GridNames.TTL_LEASES_MAP);
        leases.set(TtlLease.key(NS, "leased-1", ttl.id()), "not a lease");
        Thread.sleep(3_000);

        leases.delete(TtlLease.key(NS, "leased-1", ttl.id()));
        registry.renewTtl(NS, ttl.id(), HealthStatus.PASSING, "back");
        await().atMost(Duration.ofSeconds(10)).until(() -> health("leased-1") == HealthStatus.PASSING);
    }

    @Test
    void aTtlCheckTurnsCriticalOnceItsLeaseLapsesAndNotBefore() {
        HazelcastRegistry registry = cluster.registry(0);
        Check ttl = new Check("ttl:lapsing-1", "", CheckKind.TTL, "", null, null, null, Duration.ofSeconds(3), null,
                null, HealthStatus.CRITICAL, "");
        registry.register(new ServiceInstance(NS, "checked", "lapsing-1", "127.0.0.1", 8080, List.of(), Map.of(),
                Weights.DEFAULT, false, List.of(ttl), ""));
        long renewedAt = System.nanoTime();
        registry.renewTtl(NS, ttl.id(), HealthStatus.PASSING, "alive");
        assertEquals(HealthStatus.PASSING, registry.service(NS, "checked").instances().stream()
                .filter(entry -> entry.instance().id().equals("lapsing-1")).findFirst().orElseThrow()
                .instance().health(), "the renewal's change is committed at once");

        await().atMost(Duration.ofSeconds(15)).until(() -> health("lapsing-1") == HealthStatus.CRITICAL);
        long lapsedAfterMillis = (System.nanoTime() - renewedAt) / 1_000_000;
        assertTrue(lapsedAfterMillis >= 3_000, "critical " + lapsedAfterMillis + " ms after a renewal with a 3 s TTL");
    }

    @Test
    void checksKeepTheirPeriodWhenTheSystemClockIsSetForwardOrBack() {
        cluster.registry(0).register(instance("stepped-1", Thresholds.NONE, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> health("stepped-1") == HealthStatus.PASSING);

        clock.step(Duration.ofHours(1));
        long runsAfterForward = totalRuns();
        await().atMost(Duration.ofSeconds(10)).until(() -> totalRuns() >= runsAfterForward + 3);
        long latestLag = cluster.schedulers().stream().map(CheckScheduler::recentLagsMillis)
                .filter(lags -> lags.length > 0).mapToLong(lags -> lags[lags.length - 1]).max().orElseThrow();
        assertTrue(latestLag < 60_000, "a clock set an hour forward read as " + latestLag + " ms of lag");

        clock.step(Duration.ofHours(-2));
        long runsAfterBack = totalRuns();
        await().atMost(Duration.ofSeconds(10)).until(() -> totalRuns() >= runsAfterBack + 3);
        assertEquals(HealthStatus.PASSING, health("stepped-1"));
    }

    private HealthStatus health(String id) {
        return cluster.registry(1).service(NS, "checked").instances().stream()
                .filter(entry -> entry.instance().id().equals(id))
                .map(entry -> entry.instance().health()).findFirst().orElse(null);
    }

    private long totalRuns() {
        return cluster.schedulers().stream().mapToLong(CheckScheduler::completedRuns).sum();
    }

    private ServiceInstance instance(String id, Thresholds thresholds, Duration deregisterAfter) {
        Check check = new Check("service:" + id, "healthz", CheckKind.HTTP,
                "http://127.0.0.1:" + target.getAddress().getPort() + "/healthz", null, Duration.ofSeconds(1),
                Duration.ofMillis(500), null, deregisterAfter, thresholds, HealthStatus.CRITICAL, "");
        return new ServiceInstance(NS, "checked", id, "127.0.0.1", 8080, List.of(), Map.of(), Weights.DEFAULT, false,
                List.of(check), "");
    }
}
