package io.meridian.client;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A running client across a restart of every member of a cluster whose members keep no disk, so the registry comes
 * back empty: the client's renewal registers its instance again, {@code register} works for an id it wrote before,
 * and {@code close()} deregisters.
 */
class WholeClusterRestartTest {

    @Test
    void aRunningClientWritesAgainAfterTheWholeClusterRestarted() throws Exception {
        try (TestCluster cluster = TestCluster.start(3)) {
            DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(cluster.name())
                    .registrationTtl(Duration.ofSeconds(3), Duration.ofMinutes(1));
            cluster.addresses().forEach(builder::member);
            try (DiscoveryClient client = builder.build()) {
                ServiceInstance api = instance("api", "api-1");
                client.register(api);

                cluster.close();
                cluster.startMembers(3);
                try (HazelcastRegistry reader = new HazelcastRegistry(cluster.member(0),
                        RegistrySettings.defaults("reader"), Clock.systemUTC())) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> ids(reader).equals(List.of("api-1")));

                    client.register(instance("api", "api-2"));
                    client.register(api);
                    await().atMost(Duration.ofSeconds(10)).until(() -> ids(reader).equals(List.of("api-1", "api-2")));

                    client.close();
                    await().atMost(Duration.ofSeconds(10)).until(() -> ids(reader).isEmpty());
                }
            }
        }
    }

    private static List<String> ids(HazelcastRegistry registry) {
        return registry.service("default", "api").instances().stream().map(InstanceEntry::instance)
                .map(ServiceInstance::id).toList();
    }
}
