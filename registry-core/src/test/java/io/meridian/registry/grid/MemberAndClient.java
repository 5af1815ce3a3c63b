package io.meridian.registry.grid;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.meridian.registry.testing.TestCluster;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * For tests of what a client sees: a three-member cluster, a registry on its first member and one on a Hazelcast
 * client of it. {@link #close()} closes both registries, the client and the cluster.
 */
final class MemberAndClient implements AutoCloseable {

    static final RegistrySettings SETTINGS = new RegistrySettings(256, 8, Duration.ofSeconds(10), "node-0", false);

    final TestCluster cluster;
    final HazelcastRegistry throughMember;
    final HazelcastInstance client;
    final HazelcastRegistry throughClient;

    private MemberAndClient(TestCluster cluster, HazelcastInstance client) {
        this.cluster = cluster;
        this.throughMember = new HazelcastRegistry(cluster.member(0), SETTINGS, Clock.systemUTC());
        this.client = client;
        this.throughClient = new HazelcastRegistry(client, SETTINGS, Clock.systemUTC());
    }

    /** Starts them; {@code configure} adds to the client's configuration (near caches) before it starts. */
    static MemberAndClient start(Consumer<ClientConfig> configure) {
        TestCluster cluster = TestCluster.start(3);
        ClientConfig config = cluster.clientConfig();
        configure.accept(config);
        return new MemberAndClient(cluster, HazelcastClient.newHazelcastClient(config));
    }

    @Override
    public void close() {
        throughClient.close();
        client.shutdown();
        throughMember.close();
        cluster.close();
    }
}
