package io.meridian.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * A rolling restart of {@link NodeProcesses} under {@link ClusterTraffic}, as an operator rolls out a new version:
 * each node in turn is marked down, stopped (SIGTERM, or SIGKILL as a crash), started again on its configuration, and
 * the cluster is left to report itself healthy before the next. Shared by {@code RollingRestartTest} and load-tests.
 */
public final class RollingRestart {

    /**
     * What happened.
     *
     * @param exitCodes  each node's exit code when it was stopped
     * @param stopLogs   each stopped run's output
     * @param writeGaps  for each node, from its stop signal to the first write acknowledged after it
     * @param traffic    the traffic that ran throughout, stopped
     */
    public record Outcome(List<Integer> exitCodes, List<String> stopLogs, List<Duration> writeGaps,
                          ClusterTraffic traffic) {
    }

    private RollingRestart() {
    }

    /**
     * Restarts every node in turn.
     *
     * @param gapBound  how long to wait for a write after a stop before giving up on the run
     * @param healBound how long to wait for the cluster to report itself healthy after a restart
     */
    public static Outcome run(NodeProcesses nodes, boolean kill, Duration gapBound, Duration healBound)
            throws Exception {
        ClusterTraffic traffic = new ClusterTraffic(nodes);
        List<Integer> exitCodes = new ArrayList<>();
        List<String> stopLogs = new ArrayList<>();
        List<Duration> writeGaps = new ArrayList<>();
        traffic.start();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                traffic.markDown(i);
                long stoppedAt = System.nanoTime();
                exitCodes.add(nodes.stop(i, kill));
                stopLogs.add(nodes.currentLog(i));
                writeGaps.add(await().atMost(gapBound).pollInterval(Duration.ofMillis(50))
                        .until(() -> traffic.firstAcknowledgementAfter(stoppedAt), Optional::isPresent).orElseThrow());
                nodes.start(i);
                nodes.awaitReady(i);
                traffic.markUp(i);
                nodes.awaitHealthy(i, healBound);
            }
        } finally {
            traffic.stop();
        }
        return new Outcome(exitCodes, stopLogs, writeGaps, traffic);
    }
}
