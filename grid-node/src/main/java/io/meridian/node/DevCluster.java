package io.meridian.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Three Meridian nodes in one JVM on loopback, the first serving HTTP and DNS: what {@code ./meridian dev} runs.
 * {@link #stop} stops all three after the serving node's clients are answered; {@link #close()} stops them at once.
 */
public final class DevCluster implements AutoCloseable {

    private final List<MeridianNode> nodes;

    private DevCluster(List<MeridianNode> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts three nodes from the base configuration (member ports base, base+1, base+2), the HTTP API and DNS. Each
     * node keeps its data in a directory named after it under the base's data directory, if that is set.
     */
    public static DevCluster start(NodeConfig base) {
        List<CompletableFuture<MeridianNode>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "meridian-" + (i + 1);
            NodeConfig config = base.withNode(name, base.hazelcastPort() + i)
                    .withDataDir(base.dataDir().map(root -> root.resolve(name)));
            starting.add(CompletableFuture.supplyAsync(() -> MeridianNode.start(config)));
        }
        List<MeridianNode> nodes = new ArrayList<>();
        starting.forEach(node -> nodes.add(node.join()));
        DevCluster cluster = new DevCluster(nodes);
        try {
            nodes.get(0).serveHttp();
            nodes.get(0).serveDns();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public String awaitLeader(Duration timeout) throws InterruptedException {
        return nodes.get(0).awaitLeader(timeout);
    }

    /** The node serving HTTP and DNS. */
    public MeridianNode httpNode() {
        return nodes.get(0);
    }

    /** All three nodes. */
    public List<MeridianNode> members() {
        return nodes;
    }

    /**
     * Stops the cluster: the serving node's HTTP API and DNS drain first (parked blocking queries answered with what
     * is current, requests in flight finished, within the bound), then all three members stop at once, as the whole
     * cluster goes.
     */
    public void stop(Duration bound) {
        httpNode().drainServing(bound);
        close();
    }

    @Override
    public void close() {
        nodes.parallelStream().forEach(MeridianNode::close);
    }
}
