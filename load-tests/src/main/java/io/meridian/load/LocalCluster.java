package io.meridian.load;

import io.meridian.client.DiscoveryClient;
import io.meridian.dns.DnsSettings;
import io.meridian.http.AclSettings;
import io.meridian.http.RateLimits;
import io.meridian.operator.AutopilotSettings;
import io.meridian.node.CheckLimits;
import io.meridian.node.EventSettings;
import io.meridian.node.DevCluster;
import io.meridian.node.NodeConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A three-member dev cluster in this JVM on free loopback ports, and an HTTP client for it. */
final class LocalCluster implements AutoCloseable {

    private final DevCluster cluster;
    private final NodeConfig config;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    private LocalCluster(DevCluster cluster, NodeConfig config) {
        this.cluster = cluster;
        this.config = config;
        this.base = "http://127.0.0.1:" + cluster.httpNode().httpPort();
    }

    static LocalCluster start() throws InterruptedException {
        return start(Optional.empty(), 40_000 + (int) (Math.random() * 200) * 10, "bench-" + UUID.randomUUID());
    }

    /**
     * A cluster keeping its data under the directory (one subdirectory per member), or nowhere; started twice with the
     * same directory, port and name it is the same cluster restarted.
     */
    static LocalCluster start(Optional<Path> dataDir, int port, String name) throws InterruptedException {
        List<String> members = List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1), "127.0.0.1:" + (port + 2));
        NodeConfig config = new NodeConfig(name, "bench-1", "127.0.0.1", port, members, 0, 0,
                "dc1", 3, Duration.ofSeconds(10), DnsSettings.defaults(),
                RateLimits.NONE, Optional.empty(),
                AclSettings.ALLOW_ALL, Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(30),
                AutopilotSettings.DEFAULTS, dataDir, CheckLimits.DEV, EventSettings.DEFAULTS);
        DevCluster cluster = DevCluster.start(config);
        cluster.awaitLeader(Duration.ofSeconds(90));
        if (!cluster.httpNode().awaitWritesOpen(Duration.ofMinutes(10))) {
            cluster.close();
            throw new IllegalStateException("the cluster did not open writes within 10 minutes");
        }
        return new LocalCluster(cluster, config);
    }

    DevCluster cluster() {
        return cluster;
    }

    /** The cluster's name, for clients. */
    String name() {
        return config.clusterName();
    }

    /** {@code host:port} of every member, for clients. */
    List<String> members() {
        return config.members();
    }

    /** A new SDK client of this cluster; the caller closes it. */
    DiscoveryClient discoveryClient() {
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(name());
        members().forEach(builder::member);
        return builder.build();
    }

    /** Sends a request and fails unless it answers 200. */
    String send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
