package io.meridian.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.map.IMap;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.grid.GridNames;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.meridian.registry.testing.Instances.instance;
import static io.meridian.registry.testing.Instances.withCheck;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK against a real three-member cluster on loopback, writes coming from a member. */
class DiscoveryClientTest {

    private static TestCluster cluster;
    private static HazelcastRegistry writer;
    private static DiscoveryClient discovery;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
        writer = new HazelcastRegistry(cluster.member(0),
                new RegistrySettings(4096, 256, Duration.ofSeconds(10), "w", true), Clock.systemUTC());
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(cluster.name());
        cluster.addresses().forEach(builder::member);
        discovery = builder.build();
    }

    @AfterAll
    static void stop() {
        discovery.close();
        writer.close();
        cluster.close();
    }

    @Test
    void healthyFiltersByPassingTagsMetaAndZone() {
        writer.register(instance("shop", "shop-1", "v2"));
        writer.register(instance("shop", "shop-2", "v1"));
        writer.register(withCheck("shop", "shop-3", HealthStatus.CRITICAL));

        assertEquals(List.of("shop-1", "shop-2"), ids(discovery.healthy("shop", InstanceQuery.ANY)));
        assertEquals(List.of("shop-1"), ids(discovery.healthy("shop", new InstanceQuery(List.of("v2"), Map.of(),
                null))));
        assertEquals(List.of("shop-1", "shop-2"), ids(discovery.healthy("shop",
                new InstanceQuery(List.of(), Map.of("version", "1.0"), null))));
        assertEquals(List.of(), ids(discovery.healthy("shop", new InstanceQuery(List.of(), Map.of(), "eu-1a"))));
    }

    @Test
    void aCachedServiceIsAnsweredWithoutANetworkCallAndAChangeStillArrives() {
        writer.register(instance("cached", "cached-1"));
        // The registration's own invalidations reach the client in their own time, and one that comes after the first
        // lookup cached the new entry evicts it once more: lookups are counted once they have hit for a while.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> {
            long misses = nearCacheMisses();
            discovery.healthy("cached", InstanceQuery.ANY);
            return nearCacheMisses() == misses;
        });
        long missesBefore = nearCacheMisses();

        for (int i = 0; i < 1_000; i++) {
            assertEquals(1, discovery.healthy("cached", InstanceQuery.ANY).size());
        }
        assertEquals(missesBefore, nearCacheMisses(), "1,000 lookups of a cached service missed the near cache");

        writer.register(instance("cached", "cached-2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> discovery.healthy("cached", InstanceQuery.ANY).size() == 2);
    }

    @Test
    void aWatchHearsOfChangesMadeElsewhereAndStopsWhenCancelled() {
        writer.register(instance("watched", "w-1"));
        List<List<String>> heard = new CopyOnWriteArrayList<>();
        Subscription subscription = discovery.watch("watched", instances -> heard.add(ids(instances)));

        writer.register(instance("watched", "w-2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains(List.of("w-1", "w-2")));
        writer.deregister("default", "w-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.get(heard.size() - 1).equals(List.of("w-2")));

        subscription.close();
        int calls = heard.size();
        writer.register(instance("watched", "w-3"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> heard.size() == calls);
        assertEquals(List.of("w-1"), heard.get(0), "the listener is first called with the instances now");
    }

    @Test
    void aTtlCheckFailedByItsInstanceLeavesHealthyAnswersLongBeforeItsLeaseIsNextLookedAt() {
        Check ttl = new Check("leased-1-ttl", "", CheckKind.TTL, "", null, null, null, Duration.ofMinutes(5), null,
                null, HealthStatus.PASSING, "");
        writer.register(instance("leased", "leased-1").withChecks(List.of(ttl)));
        await().atMost(Duration.ofSeconds(5)).until(() -> discovery.healthy("leased", InstanceQuery.ANY).size() == 1);

        writer.renewTtl("default", "leased-1-ttl", HealthStatus.CRITICAL, "draining");

        // The lease of a 5-minute TTL is next looked at after 30 s; the change shows in milliseconds, and 5 s leaves a
        // loaded machine room (a 1 s bound failed once in CI).
        await().atMost(Duration.ofSeconds(5)).until(() -> discovery.healthy("leased", InstanceQuery.ANY).isEmpty());
    }

    @Test
    void aClientRegistersInItsOwnNamespaceWithConsulsCheckNameAndRefusesAnother() {
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(cluster.name()).namespace("team-a");
        cluster.addresses().forEach(builder::member);
        try (DiscoveryClient teamA = builder.build()) {
            teamA.register(ServiceInstance.builder("nsapp", "nsapp-1").address("10.0.0.9").port(9000).build());
            InstanceEntry registered = writer.service("team-a", "nsapp").instances().get(0);
            assertEquals("nsapp-1", registered.instance().id());
            assertEquals("Service 'nsapp' check", registered.instance().checks().get(0).name());
            assertEquals(List.of(), writer.service("default", "nsapp").instances(), "not in the default namespace");
            await().atMost(Duration.ofSeconds(5)).until(() -> ids(teamA.healthy("nsapp")).equals(List.of("nsapp-1")));

            assertThrows(IllegalArgumentException.class, () -> teamA.register(ServiceInstance.builder("nsapp",
                    "nsapp-2").namespace("team-b").build()));
            assertEquals(1, writer.service("team-a", "nsapp").instances().size(), "nothing was written");
        }
        assertEquals(Level.WARNING, Logger.getLogger("com.hazelcast").getLevel(),
                "Hazelcast's own logging is at WARNING unless the builder says otherwise");
    }

    @Test
    void buildGivesUpWhenNoMemberAnswersWithinTheStartTimeout() throws Exception {
        int nobody;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = socket.getLocalPort();
        }
        int clientsBefore = HazelcastClient.getAllHazelcastClients().size();
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(cluster.name())
                .member("127.0.0.1:" + nobody).startTimeout(Duration.ofSeconds(1));
        RegistryUnavailableException refused = assertThrows(RegistryUnavailableException.class, builder::build);
        assertTrue(refused.getMessage().contains("startTimeout"), refused.getMessage());
        assertEquals(clientsBefore, HazelcastClient.getAllHazelcastClients().size(),
                "the Hazelcast clients it started are shut down");
    }

    /** The near-cache misses of the projection maps over every client in this JVM. */
    private static long nearCacheMisses() {
        long count = 0;
        for (var instance : HazelcastClient.getAllHazelcastClients()) {
            for (String name : List.of(GridNames.SERVICES_MAP, GridNames.SLICES_MAP)) {
                IMap<Object, Object> map = instance.getMap(name);
                var stats = map.getLocalMapStats().getNearCacheStats();
                count += stats == null ? 0 : stats.getMisses();
            }
        }
        return count;
    }

    private static List<String> ids(List<InstanceEntry> entries) {
        return entries.stream().map(entry -> entry.instance().id()).toList();
    }
}
