package io.meridian.health.schedule;

import com.hazelcast.core.HazelcastInstance;
import io.meridian.health.check.CheckResult;
import io.meridian.health.check.Prober;
import io.meridian.health.check.Probers;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/** The safety valve on a real cluster: a cut-off checker does not empty a service; a real outage is still reported. */
class SafetyValveClusterTest {

    /**
     * Enough that the cut-off member runs well over {@link SafetyValve#MIN_MEMBER_CHECKS} of them whatever partitions
     * it owns: with 60, one CI run gave it fewer than 10 and its valve stayed shut.
     */
    private static final int INSTANCES = 150;
    private static final String NS = ServiceInstance.DEFAULT_NAMESPACE;

    private final List<HazelcastRegistry> registries = new ArrayList<>();
    private final List<CheckScheduler> schedulers = new ArrayList<>();
    private final List<Probers> memberProbers = new ArrayList<>();
    private TestCluster cluster;
    private AcceptingServer target;

    @BeforeEach
    void start() throws IOException {
        target = new AcceptingServer();
        cluster = TestCluster.start(3);
        Prober cutOff = watched -> CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                "TCP connect " + watched.check().target() + ": network unreachable"));
        for (int i = 0; i < 3; i++) {
            HazelcastInstance member = cluster.member(i);
            HazelcastRegistry registry = new HazelcastRegistry(member,
                    new RegistrySettings(256, 64, Duration.ofSeconds(10), "node", true), Clock.systemUTC());
            registries.add(registry);
            Probers probers = i == 0 ? Probers.of(Map.of(CheckKind.TCP, cutOff))
                    : Probers.standard(registry.checkRecords(), Clock.systemUTC());
            memberProbers.add(probers);
            schedulers.add(new CheckScheduler(registry, member, cluster.tasks(member), probers, Clock.systemUTC(), 0.5,
                    Duration.ofMinutes(1)).start(Duration.ofMillis(300)));
        }
    }

    @AfterEach
    void stop() throws IOException {
        schedulers.forEach(CheckScheduler::close);
        memberProbers.forEach(Probers::close);
        registries.forEach(HazelcastRegistry::close);
        cluster.close();
        target.close();
    }

    @Test
    void aCutOffCheckerDoesNotEmptyTheServiceButARealOutageIsReported() throws IOException {
        IntStream.range(0, INSTANCES).parallel().forEach(i -> registries.get(0).register(instance(i)));

        await().atMost(Duration.ofSeconds(20)).until(() -> schedulers.get(0).heldFailures() > 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> schedulers.get(0).isValveOpen());
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> passing() == INSTANCES);

        target.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> passing() == 0);
    }

    private long passing() {
        return registries.get(1).service(NS, "guarded").instances().stream()
                .filter(entry -> entry.instance().health() == HealthStatus.PASSING).count();
    }

    private ServiceInstance instance(int i) {
        Check check = new Check("service:guarded-" + i, "tcp", CheckKind.TCP, "127.0.0.1:" + target.port(),
                null, Duration.ofSeconds(1), Duration.ofMillis(500), null, null, null, HealthStatus.PASSING, "");
        return new ServiceInstance(NS, "guarded", "guarded-" + i, "127.0.0.1", 8080, List.of(), Map.of(),
                Weights.DEFAULT, false, List.of(check), "");
    }
}
