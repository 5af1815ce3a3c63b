package io.meridian.client;

import io.meridian.client.balance.SmoothWeightedRoundRobin;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Thresholds;
import io.meridian.registry.Weights;
import io.meridian.health.testing.CheckingCluster;
import io.meridian.registry.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A client's failure report: local ejection at once, and the owner's check without damping. */
class FailureReportTest {

    private final ManualClock clock = new ManualClock();
    private CheckingCluster cluster;
    private DiscoveryClient discovery;

    @BeforeEach
    void start() {
        cluster = new CheckingCluster();
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(cluster.members().name())
                .clock(clock).ejectFor(Duration.ofSeconds(30));
        cluster.members().addresses().forEach(builder::member);
        discovery = builder.build();
    }

    @AfterEach
    void stop() {
        discovery.close();
        cluster.close();
    }

    @Test
    void aReportedInstanceIsLeftOutAtOnceAndTurnsCriticalWithoutDamping() throws IOException {
        cluster.registry(0).register(withDeadTcpCheck("pay-1"));
        cluster.registry(0).register(instance("pay", "pay-2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.schedulers().stream()
                .anyMatch(scheduler -> scheduler.runningChecks().contains("default/pay-1/service:pay-1")));
        await().atMost(Duration.ofSeconds(5)).until(() -> discovery.healthy("pay", InstanceQuery.ANY).size() == 2);
        InstanceEntry failing = discovery.healthy("pay", InstanceQuery.ANY).get(0);

        discovery.reportFailure(failing);

        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            chosen.add(discovery.choose("pay", new SmoothWeightedRoundRobin()).orElseThrow().instance().id());
        }
        assertEquals(Set.of("pay-2"), chosen, "choose moves on to the next instance at once");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.registry(1).service("default", "pay").instances()
                .stream().anyMatch(entry -> entry.instance().id().equals("pay-1")
                        && entry.instance().health() == HealthStatus.CRITICAL));
    }

    @Test
    void anEjectionEndsWithItsPeriod() {
        cluster.registry(0).register(instance("cart", "cart-1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> discovery.healthy("cart", InstanceQuery.ANY).size() == 1);
        discovery.reportFailure(discovery.healthy("cart", InstanceQuery.ANY).get(0));
        assertEquals(0, discovery.healthy("cart", InstanceQuery.ANY).size(), "ejected for 30 s");

        clock.advance(Duration.ofSeconds(29));
        assertEquals(0, discovery.healthy("cart", InstanceQuery.ANY).size());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, discovery.healthy("cart", InstanceQuery.ANY).size());
    }

    private static ServiceInstance withDeadTcpCheck(String id) throws IOException {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        Check check = new Check("service:" + id, "tcp", CheckKind.TCP, "127.0.0.1:" + closedPort, null,
                Duration.ofMinutes(1), Duration.ofSeconds(1), null, null, new Thresholds(0, 0, 5),
                HealthStatus.PASSING, "");
        return new ServiceInstance("default", "pay", id, "127.0.0.1", 8080, List.of(), Map.of(), Weights.DEFAULT,
                false, List.of(check), "");
    }
}
