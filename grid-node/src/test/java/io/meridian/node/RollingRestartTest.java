package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code meridian node} processes restarted one at a time, as an operator rolls out a new version: each member
 * is stopped (SIGTERM, or SIGKILL as a crash), started again, and the cluster is left to report itself healthy before
 * the next one. Meanwhile a writer registers through running members and a reader looks up through them.
 */
class RollingRestartTest {

    private static final Duration WRITE_GAP_BOUND = Duration.ofSeconds(15);
    private static final Duration HEAL_BOUND = Duration.ofSeconds(90);
    private static final List<String> SETTINGS = List.of(
            "meridian.autopilot-server-stabilization-time=2s",
            "meridian.autopilot-dead-server-threshold=30s",
            "meridian.shutdown-timeout=20s");

    @TempDir
    Path directory;

    /** One cluster for both rollouts: starting three processes is the slow part, and the second rollout's start. */
    @Test
    void threeProcessesFormACpClusterAndSurviveARollingRestartWithSigtermThenOneWithSigkill() throws Exception {
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 3, SETTINGS)) {
            withLogsOnFailure(nodes, () -> {
                nodes.startAll();
                nodes.awaitHealthy(0, HEAL_BOUND);
                assertEquals(200, nodes.put(0, "/v1/agent/service/register",
                        "{\"ID\":\"mp-1\",\"Name\":\"multi\",\"Port\":7000}").statusCode());
                // Another member's copy of the projection follows within milliseconds, not at once.
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        nodes.get(2, "/v1/health/service/multi").body().contains("mp-1"));
                // A consistent read answers once node 1 is in sync with the cluster (503 until then); it has the write.
                HttpResponse<String> consistent = await().atMost(HEAL_BOUND).until(
                        () -> nodes.get(1, "/v1/health/service/multi?consistent"), read -> read.statusCode() == 200);
                assertTrue(consistent.body().contains("mp-1"), consistent.body());
                assertEquals(3, nodes.get(1, "/v1/status/peers").body().split(",").length);
                rollingRestart(nodes, false);
                rollingRestart(nodes, true);
            });
        }
    }

    private static void rollingRestart(NodeProcesses nodes, boolean kill) throws Exception {
        RollingRestart.Outcome outcome = RollingRestart.run(nodes, kill, WRITE_GAP_BOUND.plusSeconds(60), HEAL_BOUND);
        ClusterTraffic traffic = outcome.traffic();
        System.out.printf("rolling restart (%s): %d lookups, %d failed; %d writes acknowledged, gaps %s%n",
                kill ? "SIGKILL" : "SIGTERM", traffic.lookups(), traffic.failedLookups().size(),
                traffic.acknowledged().size(), outcome.writeGaps());
        for (int i = 0; i < nodes.size(); i++) {
            if (!kill) {
                // 143 is how a JVM reports that it ended on SIGTERM after running its shutdown hooks.
                assertEquals(143, outcome.exitCodes().get(i), "node " + i + " exits on SIGTERM");
                assertTrue(outcome.stopLogs().get(i).contains("Meridian stopped"), "node " + i + " stopped gracefully");
            }
            assertTrue(outcome.writeGaps().get(i).compareTo(WRITE_GAP_BOUND) <= 0, "a write was acknowledged "
                    + outcome.writeGaps().get(i).toMillis() + " ms after node " + i + " went down");
        }
        assertEquals(List.of(), traffic.failedLookups(), "lookups sent to running members never fail");
        assertTrue(traffic.acknowledged().size() > 10, "the writer kept writing: " + traffic.acknowledged().size());
        String all = nodes.get(0, "/v1/health/service/" + ClusterTraffic.SERVICE).body();
        List<String> missing = traffic.acknowledged().stream().filter(id -> !all.contains('"' + id + '"')).toList();
        assertEquals(List.of(), missing, "every acknowledged registration is there");
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs the body; if it fails, prints every child's log first. */
    private static void withLogsOnFailure(NodeProcesses nodes, Body body) throws Exception {
        try {
            body.run();
        } catch (Throwable failure) {
            System.out.println(nodes.failureReport());
            throw failure;
        }
    }
}
