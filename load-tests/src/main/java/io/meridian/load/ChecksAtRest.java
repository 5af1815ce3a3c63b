package io.meridian.load;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a three-member cluster's checking costs at rest: {@code instances} instances over {@code services} services,
 * each with a passing TTL check of one hour (looked at every six minutes), nothing failing and nothing written. After
 * the registrations and a settling minute, the CPU of the members' process over {@code seconds}: what following the
 * owned checks costs when nothing changes.
 */
final class ChecksAtRest {

    private static final int WRITERS = 32;

    private ChecksAtRest() {
    }

    static void run(int instances, int services, int seconds) throws Exception {
        long self = ProcessHandle.current().pid();
        try (LocalCluster cluster = LocalCluster.start()) {
            long start = System.nanoTime();
            AtomicLong failed = new AtomicLong();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int i = 0; i < instances; i++) {
                int n = i;
                writers.execute(() -> {
                    try {
                        cluster.send("PUT", "/v1/agent/service/register", String.format("{\"ID\":\"rest-%d\",\"Name\":"
                                + "\"resting-%d\",\"Port\":8080,\"Check\":{\"TTL\":\"1h\",\"Status\":\"passing\"}}",
                                n, n % services));
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                });
            }
            writers.shutdown();
            writers.awaitTermination(1, TimeUnit.HOURS);
            System.out.printf("registered %d instances (%d failed) in %.0f s%n", instances, failed.get(),
                    (System.nanoTime() - start) / 1e9);
            Thread.sleep(60_000);
            long running = cluster.cluster().members().stream().mapToLong(node -> node.checks().runningChecks().size())
                    .sum();
            double cpuBefore = ProcessFigures.cpuSeconds(self);
            long measureStart = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double cores = (ProcessFigures.cpuSeconds(self) - cpuBefore) / ((System.nanoTime() - measureStart) / 1e9);
            System.out.printf("at rest: %d instances, %d checks running over 3 members, nothing failing -> members'"
                    + " process %.3f cores (%.3f per member)%n", instances, running, cores, cores / 3);
        }
    }
}
