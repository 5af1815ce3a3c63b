package io.meridian.node;

import io.meridian.dns.DnsSettings;
import io.meridian.http.AclSettings;
import io.meridian.http.RateLimits;
import io.meridian.operator.AutopilotSettings;
import io.meridian.registry.testing.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Meridian nodes on loopback for tests, with a random cluster name, member ports and HTTP ports. */
final class TestNodes implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<MeridianNode> nodes = new ArrayList<>();
    private final NodeConfig base;

    private TestNodes(NodeConfig base) {
        this.base = base;
    }

    /** A configuration of a cluster of {@code count} nodes; the first node's member port is the base. */
    static NodeConfig config(int count) {
        int base = LoopbackPorts.consecutive(count);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add("127.0.0.1:" + (base + i));
        }
        return new NodeConfig("test-" + UUID.randomUUID(), "node-0", "127.0.0.1", base, members, 0, 0, "dc1", 3,
                Duration.ofSeconds(10), DnsSettings.defaults(),
                RateLimits.NONE, Optional.empty(),
                AclSettings.ALLOW_ALL, Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(30),
                AutopilotSettings.DEFAULTS, Optional.empty(), CheckLimits.DEV, EventSettings.DEFAULTS);
    }

    /** Starts three nodes, each serving HTTP, and waits for a CP leader. */
    static TestNodes startThree() throws InterruptedException {
        return startFirst(config(3), 3);
    }

    /**
     * Starts the first {@code count} nodes of the configuration's member list, each serving HTTP, and waits for a CP
     * leader and until each sees the cluster take writes (its start-up sync done); {@link #add(int)} starts more of the
     * list later.
     */
    static TestNodes startFirst(NodeConfig base, int count) throws InterruptedException {
        TestNodes started = launchFirst(base, count);
        for (MeridianNode node : started.nodes) {
            if (!node.awaitWritesOpen(Duration.ofSeconds(60))) {
                throw new IllegalStateException(node.member().getName() + " saw no writes open within 60 s");
            }
        }
        return started;
    }

    /** None of the configuration's nodes started yet: for a test that starts them one by one with {@link #add}. */
    static TestNodes none(NodeConfig base) {
        return new TestNodes(base);
    }

    /** As {@link #startFirst}, without waiting for writes to open: for a cold start that keeps them closed. */
    static TestNodes launchFirst(NodeConfig base, int count) throws InterruptedException {
        TestNodes started = new TestNodes(base);
        List<CompletableFuture<MeridianNode>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NodeConfig config = started.nodeConfig(i);
            starting.add(CompletableFuture.supplyAsync(() -> MeridianNode.start(config)));
        }
        starting.forEach(node -> started.nodes.add(node.join()));
        started.nodes.forEach(MeridianNode::serveHttp);
        started.nodes.get(0).awaitLeader(Duration.ofSeconds(60));
        return started;
    }

    /**
     * The configuration of the node at that place of the member list: {@code node-<index>}, keeping its data in
     * {@code <base data dir>/node-<index>} if the base has a data directory.
     */
    NodeConfig nodeConfig(int index) {
        String name = "node-" + index;
        return base.withNode(name, base.hazelcastPort() + index)
                .withDataDir(base.dataDir().map(root -> root.resolve(name)));
    }

    /** Starts the node at that place of the member list (again, if it ran before), serving HTTP. */
    MeridianNode add(int index) {
        MeridianNode node = MeridianNode.start(nodeConfig(index));
        nodes.add(node);
        // Held before serving HTTP: if that fails, close() still stops the member, and the next test's node of the same
        // name can start.
        node.serveHttp();
        return node;
    }

    /** Stops a node gracefully, as SIGTERM does. */
    void stop(MeridianNode node) {
        nodes.remove(node);
        node.stop(Duration.ofSeconds(30));
    }

    /** The node whose member leads the CP group, as the first node sees it. */
    MeridianNode leader() {
        String leader = nodes.get(0).status().leader().orElseThrow();
        return nodes.stream().filter(node -> leader.equals(address(node))).findFirst().orElseThrow();
    }

    /** The {@code host:port} of the node's member. */
    static String address(MeridianNode node) {
        var address = node.member().getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    List<MeridianNode> nodes() {
        return nodes;
    }

    MeridianNode node(int index) {
        return nodes.get(index);
    }

    /** Stops a node abruptly, as a crash would. */
    void kill(MeridianNode node) {
        node.close();
        nodes.remove(node);
    }

    static HttpResponse<String> get(MeridianNode node, String path) throws Exception {
        return HTTP.send(request(node, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(MeridianNode node, String path) {
        return HTTP.sendAsync(request(node, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> put(MeridianNode node, String path, String body) throws Exception {
        return HTTP.send(request(node, path).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(MeridianNode node, String path, String body) throws Exception {
        return HTTP.send(request(node, path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static long index(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
    }

    private static HttpRequest.Builder request(MeridianNode node, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        nodes.parallelStream().forEach(MeridianNode::close);
        nodes.clear();
    }
}
