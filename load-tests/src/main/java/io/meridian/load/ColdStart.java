package io.meridian.load;

import io.meridian.node.MeridianNode;
import io.meridian.registry.grid.HazelcastRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.meridian.load.FlatWriteCost.instance;

/**
 * A cold start at scale: a three-member cluster with data directories takes {@code instances} registrations (100 per
 * service, 64 writers), every member is terminated at once, and the cluster is started again on the same directories.
 * Prints how long the members took to start, how long until writes opened (every member's disk merged by a majority),
 * and until the projection held every instance again, with the size of each member's data on disk.
 */
final class ColdStart {

    private static final int WRITERS = 64;

    private ColdStart() {
    }

    static void run(int instances) throws Exception {
        Path data = Files.createTempDirectory("meridian-coldstart-");
        int port = 41_000 + (int) (Math.random() * 100) * 10;
        String name = "coldstart-" + UUID.randomUUID();
        try (LocalCluster cluster = LocalCluster.start(Optional.of(data), port, name)) {
            long started = System.nanoTime();
            register(cluster.cluster().httpNode().registry(), instances);
            System.out.printf("registered %,d instances in %.1f s%n", instances, seconds(started));
        }
        System.out.printf("every member terminated; on disk per member: %s%n", sizes(data));

        long restarting = System.nanoTime();
        try (LocalCluster restarted = LocalCluster.start(Optional.of(data), port, name)) {
            double writesOpen = seconds(restarting);
            HazelcastRegistry registry = restarted.cluster().httpNode().registry();
            while (registry.instances("default").size() < instances) {
                Thread.sleep(50);
            }
            double projected = seconds(restarting);
            for (MeridianNode node : restarted.cluster().members()) {
                node.awaitWritesOpen(Duration.ofMinutes(1));
            }
            System.out.printf("cold start with %,d instances: members up and writes open after %.1f s (members"
                    + " started, CP group formed, a majority of disks merged); every instance readable after %.1f s%n",
                    instances, writesOpen, projected);
        }
    }

    private static void register(HazelcastRegistry registry, int instances) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<Long>> done = new ArrayList<>(instances);
            for (int i = 0; i < instances; i++) {
                int id = i;
                done.add(writers.submit(() -> registry.register(instance("svc-" + (id / 100), "inst-" + id))));
            }
            for (Future<Long> write : done) {
                write.get();
            }
        } finally {
            writers.shutdown();
        }
    }

    private static String sizes(Path data) throws IOException {
        List<String> sizes = new ArrayList<>();
        try (Stream<Path> members = Files.list(data)) {
            for (Path member : members.sorted().toList()) {
                try (Stream<Path> files = Files.walk(member)) {
                    long bytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
                    sizes.add(String.format("%s %.1f MB", member.getFileName(), bytes / 1e6));
                }
            }
        }
        return String.join(", ", sizes);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
