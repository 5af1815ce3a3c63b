package io.meridian.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What a three-member cluster's checking costs at rest: {@code instances} instances over {@code services} services,
 * each with a passing TTL check of one hour (looked at every six minutes), nothing failing and nothing written. After
 * the registrations and a settling minute, the CPU of the members' process over {@code seconds}: what following the
 * owned checks costs when nothing changes, in all and by thread (checking, anti-entropy, Hazelcast's operations).
 */
final class ChecksAtRest {

    private static final int WRITERS = 32;
    private static final Pattern NUMBERS = Pattern.compile("[0-9]+");

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
            Map<String, Long> threadsBefore = cpuByThreadGroup();
            long measureStart = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            double cores = (ProcessFigures.cpuSeconds(self) - cpuBefore) / elapsed;
            System.out.printf("at rest: %d instances, %d checks running over 3 members, nothing failing -> members'"
                    + " process %.3f cores (%.3f per member); by threads:", instances, running, cores, cores / 3);
            cpuByThreadGroup().forEach((group, nanos) -> {
                double groupCores = (nanos - threadsBefore.getOrDefault(group, 0L)) / 1e9 / elapsed;
                if (groupCores >= 0.001) {
                    System.out.printf(" %s %.3f", group, groupCores);
                }
            });
            System.out.println();
        }
    }

    /** CPU time so far of this JVM's live threads, by name with numbers taken out ({@code hz.meridian-N.event-N}). */
    private static Map<String, Long> cpuByThreadGroup() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new TreeMap<>();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null) {
                long nanos = threads.getThreadCpuTime(thread.getThreadId());
                if (nanos > 0) {
                    byGroup.merge(NUMBERS.matcher(thread.getThreadName()).replaceAll("N"), nanos, Long::sum);
                }
            }
        }
        return byGroup;
    }
}
