package io.meridian.faults;

import io.meridian.client.DiscoveryClient;
import io.meridian.client.InstanceQuery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One SDK client per member, each connected to that member alone ({@link DiscoveryClient.Builder#singleConnection}),
 * looking up the workload's services in turn and recording each lookup as an {@link Op.Kind#SDK_READ} on its member:
 * what an application whose only route to the cluster is a member that gets cut off would see.
 */
final class SdkReaders implements AutoCloseable {

    /** Client numbers of the SDK readers in the history start here, after the workload's HTTP clients. */
    static final int FIRST_CLIENT = 100;
    private static final Duration PAUSE = Duration.ofMillis(20);

    private final List<DiscoveryClient> clients = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private SdkReaders() {
    }

    /** Connects a client to each member of the cluster and starts its reader; the caller closes them. */
    static SdkReaders start(NodeCluster cluster, List<String> services, History history) {
        SdkReaders sdk = new SdkReaders();
        try {
            for (int i = 0; i < cluster.size(); i++) {
                DiscoveryClient client = DiscoveryClient.builder().member(cluster.memberAddress(i))
                        .singleConnection().clusterName(NodeCluster.CLUSTER_NAME).build();
                sdk.clients.add(client);
                int node = i;
                Thread reader = new Thread(() -> sdk.read(client, node, services, history), "sdk-reader-" + i);
                reader.setDaemon(true);
                sdk.readers.add(reader);
            }
        } catch (RuntimeException e) {
            sdk.close();
            throw e;
        }
        sdk.readers.forEach(Thread::start);
        return sdk;
    }

    private void read(DiscoveryClient client, int node, List<String> services, History history) {
        for (int round = 0; running.get(); round++) {
            String service = services.get(round % services.size());
            long invoked = System.nanoTime();
            Op.Outcome outcome = Op.Outcome.OK;
            Set<String> seen = Set.of();
            try {
                seen = client.healthy(service, InstanceQuery.ANY).stream()
                        .map(entry -> entry.instance().id()).collect(Collectors.toSet());
            } catch (RuntimeException e) {
                outcome = Op.Outcome.FAIL;
            }
            history.add(new Op(FIRST_CLIENT + node, Op.Kind.SDK_READ, service, "", node, invoked, System.nanoTime(),
                    outcome, 0, seen));
            NodeCluster.sleep(PAUSE);
        }
    }

    /** Stops the readers, waiting for their last lookups, and closes the clients. */
    @Override
    public void close() {
        running.set(false);
        for (Thread reader : readers) {
            try {
                reader.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        clients.forEach(DiscoveryClient::close);
    }
}
