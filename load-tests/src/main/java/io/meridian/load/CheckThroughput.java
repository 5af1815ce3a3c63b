package io.meridian.load;

import com.sun.net.httpserver.HttpServer;
import io.meridian.health.schedule.CheckScheduler;
import io.meridian.node.MeridianNode;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * Health checks a three-member cluster sustains: {@code instances} HTTP checks every second against one local HTTP
 * server with a path per instance, measured for {@code seconds}: completed checks per second, scheduling lag
 * p50/p99 (how late a run starts against its interval), and this process's CPU per 1,000 checks/s (the members and
 * the target share the process and the two cores).
 */
final class CheckThroughput {

    private CheckThroughput() {
    }

    static void run(int instances, int seconds) throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        target.createContext("/healthz/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        target.setExecutor(Executors.newFixedThreadPool(4));
        target.start();
        try (LocalCluster cluster = LocalCluster.start()) {
            String base = "http://127.0.0.1:" + target.getAddress().getPort() + "/healthz/";
            IntStream.range(0, instances).parallel().forEach(i -> {
                try {
                    cluster.send("PUT", "/v1/agent/service/register", String.format("{\"ID\":\"hc-%d\",\"Name\":"
                            + "\"checked-%d\",\"Port\":8080,\"Check\":{\"HTTP\":\"%s%d\",\"Interval\":\"1s\","
                            + "\"Timeout\":\"1s\"}}", i, i % 100, base, i));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<CheckScheduler> schedulers = cluster.cluster().members().stream().map(MeridianNode::checks).toList();
            Thread.sleep(10_000);
            long runsBefore = runs(schedulers);
            long cpuBefore = cpuNanos();
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double perSecond = (runs(schedulers) - runsBefore) / elapsed;
            double cpuCores = (cpuNanos() - cpuBefore) / 1e9 / elapsed;
            long[] lags = schedulers.stream().flatMapToLong(s -> java.util.Arrays.stream(s.recentLagsMillis()))
                    .map(millis -> millis * 1_000_000).toArray();
            System.out.printf("checks: %d instances at 1/s -> %.0f checks/s completed; scheduling lag %s; "
                            + "CPU %.2f cores in all, %.2f cores per 1,000 checks/s%n", instances, perSecond,
                    Percentiles.of(lags), cpuCores, cpuCores / (perSecond / 1000));
        } finally {
            target.stop(0);
        }
    }

    private static long runs(List<CheckScheduler> schedulers) {
        return schedulers.stream().mapToLong(CheckScheduler::completedRuns).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
