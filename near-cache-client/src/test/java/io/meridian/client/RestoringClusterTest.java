package io.meridian.client;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A running client across a restart of every member into a cluster that restores its registry from its members'
 * disks. Until the restored cluster takes writes its registry holds only what the disks merged so far; the client
 * must neither answer lookups with that nor hand it to its watchers, and must read afresh once writes open.
 */
class RestoringClusterTest {

    private static final List<String> BEFORE = List.of("api-1", "api-2");
    private static final List<String> AFTER = List.of("api-1", "api-2", "api-3");

    @Test
    void aClientAnswersWhatItLastSawUntilTheRestartedClusterTakesWrites() throws Exception {
        try (TestCluster cluster = TestCluster.start(3)) {
            Map<String, VersionedValue> onDisks;
            try (HazelcastRegistry writer = registryOn(cluster)) {
                writer.register(instance("api", "api-1"));
                writer.register(instance("api", "api-2"));
                onDisks = writer.committedState();
            }
            assertEquals(2, onDisks.size(), "api-1 and api-2 in shards of their own: " + onDisks.keySet());
            DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(cluster.name());
            cluster.addresses().forEach(builder::member);
            try (DiscoveryClient client = builder.build()) {
                List<List<String>> heard = new CopyOnWriteArrayList<>();
                client.watch("api", entries -> heard.add(ids(entries)));
                await().atMost(Duration.ofSeconds(10)).until(() -> ids(client.healthy("api")).equals(BEFORE)
                        && !heard.isEmpty() && heard.get(heard.size() - 1).equals(BEFORE));

                cluster.close();
                cluster.startMembersRestoring(3);
                // A service never looked up is read from the cluster: once that answers, the client has reconnected.
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> client.healthy("never-seen").isEmpty());
                try (HazelcastRegistry restoring = registryOn(cluster)) {
                    // The first disk to merge holds the part written last: api-2's, at the index the client holds.
                    Map.Entry<String, VersionedValue> latest = onDisks.entrySet().stream()
                            .max(Comparator.comparingLong(entry -> entry.getValue().index())).orElseThrow();
                    restoring.merge(Map.ofEntries(latest));
                    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                            .until(() -> ids(client.healthy("api")).equals(BEFORE));

                    restoring.merge(onDisks);
                    cluster.openWrites();
                    restoring.register(instance("api", "api-3"));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> ids(client.healthy("api")).equals(AFTER));
                await().atMost(Duration.ofSeconds(20)).until(() -> heard.get(heard.size() - 1).equals(AFTER));
                assertEquals(List.of(), heard.stream().filter(view -> !view.containsAll(BEFORE)).toList(),
                        "no watcher may hear a registry restored in part: " + heard);
            }
        }
    }

    private static HazelcastRegistry registryOn(TestCluster cluster) {
        return new HazelcastRegistry(cluster.member(0), RegistrySettings.defaults("writer"), Clock.systemUTC());
    }

    private static List<String> ids(List<InstanceEntry> entries) {
        return entries.stream().map(InstanceEntry::instance).map(ServiceInstance::id).sorted().toList();
    }
}
