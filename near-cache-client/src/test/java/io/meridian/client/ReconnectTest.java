package io.meridian.client;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client cut off from a running cluster by a network cut (a relay the test closes), while a change is made: after
 * reconnecting it answers with the change although its near cache never heard of it.
 */
class ReconnectTest {

    private TestCluster cluster;
    private HazelcastRegistry writer;
    private TcpRelay relay;
    private DiscoveryClient discovery;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(3);
        writer = new HazelcastRegistry(cluster.member(0), RegistrySettings.defaults("writer"), Clock.systemUTC());
        relay = new TcpRelay(cluster.member(1).getCluster().getLocalMember().getAddress().getPort());
        discovery = DiscoveryClient.builder().clusterName(cluster.name()).member(relay.address()).singleConnection()
                .nearCacheTtl(Duration.ofMinutes(10)).build();
    }

    @AfterEach
    void stop() throws Exception {
        discovery.close();
        relay.close();
        writer.close();
        cluster.close();
    }

    @Test
    void aChangeMadeWhileCutOffIsSeenAfterReconnecting() throws Exception {
        writer.register(instance("cut", "cut-1"));
        assertEquals(List.of("cut-1"), ids(discovery.healthy("cut", InstanceQuery.ANY)));
        List<List<String>> watched = new CopyOnWriteArrayList<>();
        discovery.watch("cut", instances -> watched.add(ids(instances)));

        relay.cut();
        writer.register(instance("cut", "cut-2"));
        assertEquals(List.of("cut-1"), ids(discovery.healthy("cut", InstanceQuery.ANY)),
                "cut off, the client answers with what it saw last");

        relay.restore();
        await().atMost(Duration.ofSeconds(30)).until(
                () -> ids(discovery.healthy("cut", InstanceQuery.ANY)).equals(List.of("cut-1", "cut-2")));
        await().atMost(Duration.ofSeconds(30)).until(
                () -> watched.get(watched.size() - 1).equals(List.of("cut-1", "cut-2")));
    }

    private static List<String> ids(List<InstanceEntry> instances) {
        return instances.stream().map(entry -> entry.instance().id()).toList();
    }
}
