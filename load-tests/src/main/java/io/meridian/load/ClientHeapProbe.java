package io.meridian.load;

import io.meridian.client.DiscoveryClient;
import io.meridian.client.InstanceQuery;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The client side of {@link ClientHeap}, in a JVM of its own so that nothing but the client is measured: the live
 * heap after a full GC before the client exists, then with it holding every service. Arguments: cluster name, member
 * addresses separated by commas, the number of services ({@code svc-0} on).
 */
public final class ClientHeapProbe {

    private ClientHeapProbe() {
    }

    public static void main(String[] args) {
        int services = Integer.parseInt(args[2]);
        long before = liveHeap();
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(args[0]);
        List.of(args[1].split(",")).forEach(builder::member);
        try (DiscoveryClient client = builder.build()) {
            int held = 0;
            for (int s = 0; s < services; s++) {
                held += client.healthy("svc-" + s, InstanceQuery.ANY).size();
            }
            long with = liveHeap();
            System.out.printf("client heap holding %,d instances of %,d services, in a JVM of its own: %.1f MiB"
                    + " (%.0f bytes per instance)%n", held, services, (with - before) / 1048576.0,
                    (with - before) / (double) held);
        }
    }

    static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
