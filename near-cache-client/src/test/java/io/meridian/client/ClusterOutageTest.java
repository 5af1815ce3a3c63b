package io.meridian.client;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stale routing beats no routing: clients through a whole-cluster outage, and a client started during one. */
class ClusterOutageTest {

    private final List<DiscoveryClient> clients = new CopyOnWriteArrayList<>();
    private TestCluster cluster;
    private List<String> addresses;

    @TempDir
    Path snapshots;

    @AfterEach
    void stop() {
        clients.forEach(DiscoveryClient::close);
        cluster.close();
    }

    @Test
    void clientsAnswerThroughAnOutageStartFromTheSnapshotAndResynchroniseWhenTheClusterReturns() throws Exception {
        cluster = TestCluster.start(3);
        addresses = cluster.addresses();
        write(instance("orders", "orders-1"));
        DiscoveryClient running = client(Duration.ofSeconds(1));
        assertEquals(List.of("orders-1"), ids(running.healthy("orders", InstanceQuery.ANY)));
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshotFiles().size() == 1);

        cluster.close();
        // For longer than the near-cache TTL, so that the answers cannot all come from the near cache.
        await("a running client answers from what it saw last").during(Duration.ofMillis(1_500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> ids(running.healthy("orders", InstanceQuery.ANY)).equals(List.of("orders-1")));

        DiscoveryClient started = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> client(Duration.ofMinutes(1)),
                "a client with a snapshot starts without waiting for a member");
        assertEquals(List.of("orders-1"), ids(started.healthy("orders", InstanceQuery.ANY)),
                "a client started during the outage answers from the snapshot");
        List<List<String>> watched = new CopyOnWriteArrayList<>();
        started.watch("orders", instances -> watched.add(ids(instances)));
        assertEquals(List.of(List.of("orders-1")), watched, "a watch starts from the snapshot too");
        assertThrows(RegistryUnavailableException.class, () -> started.healthy("never-seen", InstanceQuery.ANY));

        cluster.startMembers(3);
        write(instance("orders", "orders-2"));
        for (DiscoveryClient client : List.of(running, started)) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> ids(client.healthy("orders", InstanceQuery.ANY)).equals(List.of("orders-2")));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> watched.get(watched.size() - 1).equals(List.of("orders-2")));
        assertTrue(started.healthy("never-seen", InstanceQuery.ANY).isEmpty(), "connected, it asks the cluster");
    }

    private void write(ServiceInstance instance) {
        try (HazelcastRegistry writer = new HazelcastRegistry(cluster.member(0), RegistrySettings.defaults("writer"),
                Clock.systemUTC())) {
            writer.register(instance);
        }
    }

    private DiscoveryClient client(Duration nearCacheTtl) {
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(cluster.name())
                .nearCacheTtl(nearCacheTtl).snapshotDirectory(snapshots, Duration.ofMillis(100));
        addresses.forEach(builder::member);
        DiscoveryClient client = builder.build();
        clients.add(client);
        return client;
    }

    private List<Path> snapshotFiles() throws Exception {
        try (Stream<Path> files = Files.list(snapshots)) {
            return files.filter(file -> file.toString().endsWith(".snapshot")).toList();
        }
    }

    private static List<String> ids(List<InstanceEntry> instances) {
        return instances.stream().map(entry -> entry.instance().id()).toList();
    }
}
