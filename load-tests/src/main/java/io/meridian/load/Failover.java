package io.meridian.load;

import io.meridian.node.ClusterTraffic;
import io.meridian.node.NodeProcesses;
import io.meridian.node.RollingRestart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * How long writes stop when a member goes, measured on three {@code meridian node} processes with the default
 * settings, a writer registering through the other members all along:
 * <ul>
 *     <li>{@code leader-kill}: SIGKILL of the CP leader, to the first write acknowledged after it;</li>
 *     <li>{@code sigterm}: SIGTERM of a member (each in turn), to the first write acknowledged after the signal;</li>
 *     <li>{@code rolling}: a rolling restart with SIGTERM (or SIGKILL with {@code rolling kill}), printing lookups
 *     sent and failed and the longest time between two acknowledged writes.</li>
 * </ul>
 * Each failover run starts a fresh cluster; the median over the runs is printed.
 */
final class Failover {

    private static final Duration WAIT_FOR_WRITE = Duration.ofSeconds(120);
    private static final Duration HEAL = Duration.ofSeconds(120);

    private Failover() {
    }

    static void run(String mode, int runs) throws Exception {
        switch (mode) {
            case "leader-kill", "sigterm" -> failovers(mode.equals("leader-kill"), runs);
            case "rolling" -> rolling(false);
            case "rolling-kill" -> rolling(true);
            default -> throw new IllegalArgumentException("failover leader-kill|sigterm|rolling|rolling-kill");
        }
    }

    private static void failovers(boolean killLeader, int runs) throws Exception {
        long[] gaps = new long[runs];
        for (int run = 0; run < runs; run++) {
            try (NodeProcesses nodes = cluster()) {
                ClusterTraffic traffic = new ClusterTraffic(nodes);
                traffic.start();
                await().atMost(WAIT_FOR_WRITE).until(() -> traffic.acknowledged().size() >= 20);
                int victim = killLeader ? nodes.indexOf(leader(nodes)) : run % nodes.size();
                traffic.markDown(victim);
                long signalled = System.nanoTime();
                nodes.stop(victim, killLeader);
                Duration gap = await().atMost(WAIT_FOR_WRITE).pollInterval(Duration.ofMillis(10))
                        .until(() -> traffic.firstAcknowledgementAfter(signalled), Optional::isPresent).orElseThrow();
                traffic.stop();
                gaps[run] = gap.toNanos();
                System.out.printf("run %d: %s of node %d, first write acknowledged after %d ms%n", run + 1,
                        killLeader ? "SIGKILL of the CP leader" : "SIGTERM", victim, gap.toMillis());
            }
        }
        System.out.printf("%s to the first acknowledged write: %s%n",
                killLeader ? "SIGKILL of the CP leader" : "SIGTERM of a member", Percentiles.of(gaps));
    }

    private static void rolling(boolean kill) throws Exception {
        try (NodeProcesses nodes = cluster()) {
            RollingRestart.Outcome outcome = RollingRestart.run(nodes, kill, WAIT_FOR_WRITE, HEAL);
            ClusterTraffic traffic = outcome.traffic();
            System.out.printf("rolling restart (%s): %d lookups sent, %d failed; %d writes acknowledged, longest write"
                            + " gap %d ms; first write after each stop: %s%n", kill ? "SIGKILL" : "SIGTERM",
                    traffic.lookups(), traffic.failedLookups().size(), traffic.acknowledged().size(),
                    traffic.longestWriteGap().toMillis(),
                    outcome.writeGaps().stream().map(gap -> gap.toMillis() + " ms").toList());
            traffic.failedLookups().forEach(failure -> System.out.println("  failed lookup: " + failure));
        }
    }

    private static NodeProcesses cluster() throws Exception {
        Path directory = Files.createTempDirectory("meridian-failover");
        NodeProcesses nodes = NodeProcesses.layOutForBenchmarks(directory, 3, List.of());
        try {
            nodes.startAll();
            nodes.awaitHealthy(0, HEAL);
            return nodes;
        } catch (Exception | Error e) {
            System.out.println(nodes.logs());
            nodes.close();
            throw e;
        }
    }

    private static String leader(NodeProcesses nodes) throws Exception {
        return nodes.get(0, "/v1/status/leader").body().replace("\"", "");
    }
}
