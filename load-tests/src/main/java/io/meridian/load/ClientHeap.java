package io.meridian.load;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The heap an SDK client takes to hold a large registry: 100,000 instances in 5,000 services (the instances of
 * {@code flat-cost}, eight meta pairs and three tags each) are registered in a cluster in this JVM, then a client in a
 * child JVM ({@link ClientHeapProbe}) looks up every service and reports its own live heap growth.
 */
final class ClientHeap {

    private static final int INSTANCES = 100_000;
    private static final int SERVICES = 5_000;

    private ClientHeap() {
    }

    static void run() throws Exception {
        try (LocalCluster cluster = LocalCluster.start()) {
            FlatWriteCost.load(cluster.cluster().members().get(0).registry(), 0, INSTANCES, SERVICES);
            Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-cp", System.getProperty("java.class.path"), ClientHeapProbe.class.getName(),
                    cluster.name(), String.join(",", cluster.members()), String.valueOf(SERVICES))
                    .inheritIO().start();
            if (!probe.waitFor(10, TimeUnit.MINUTES)) {
                probe.destroyForcibly();
                throw new IllegalStateException("the client JVM did not finish within 10 minutes");
            }
        }
    }
}
