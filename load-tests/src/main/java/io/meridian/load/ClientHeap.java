package io.meridian.load;

import io.meridian.client.DiscoveryClient;
import io.meridian.client.InstanceQuery;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap an SDK client takes to hold a large registry in its near cache: 100,000 instances in 5,000 services (the
 * instances of {@code flat-cost}, eight meta pairs and three tags each) are registered, then a client in this JVM
 * looks up every service. The figure is the live heap after a full GC with the client, less the live heap before it.
 */
final class ClientHeap {

    private static final int INSTANCES = 100_000;
    private static final int SERVICES = 5_000;

    private ClientHeap() {
    }

    static void run() throws Exception {
        try (LocalCluster cluster = LocalCluster.start()) {
            FlatWriteCost.load(cluster.cluster().members().get(0).registry(), 0, INSTANCES, SERVICES);
            long before = liveHeap();
            int held = 0;
            long with;
            try (DiscoveryClient client = cluster.discoveryClient()) {
                for (int s = 0; s < SERVICES; s++) {
                    held += client.healthy("svc-" + s, InstanceQuery.ANY).size();
                }
                with = liveHeap();
            }
            long after = liveHeap();
            System.out.printf("client heap holding %,d instances of %,d services: %.1f MiB (%.0f bytes per instance);"
                            + " after close: %+.1f MiB%n", held, SERVICES, (with - before) / 1048576.0,
                    (with - before) / (double) held, (after - before) / 1048576.0);
        }
    }

    private static long liveHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
