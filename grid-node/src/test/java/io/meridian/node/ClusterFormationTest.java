package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hazelcast stops a member whose CP discovery fails, which it does to every member still discovering when one leaves
 * the cluster (crashed, or stalled long enough to be suspected). A {@code meridian node} starts its member again and
 * the cluster forms once the members are back, instead of serving 503 until someone restarts every process.
 */
class ClusterFormationTest {

    private static final Duration FORMATION_BOUND = Duration.ofSeconds(120);
    /**
     * Hazelcast's discovery task says at INFO how many members it has seen (Meridian logs Hazelcast at WARN); it says
     * so right after it has noted them, which is when a member leaving fails its discovery.
     */
    private static final String DISCOVERY_LOG = "-Dorg.slf4j.simpleLogger.log.com.hazelcast.cp.internal"
            + ".MetadataRaftGroupManager=info";

    @TempDir
    Path directory;

    @Test
    void aNodeWhoseCpDiscoveryFailedStartsItsMemberAgainAndTheClusterForms() throws Exception {
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 3, List.of(), List.of(DISCOVERY_LOG))) {
            try {
                nodes.start(0);
                nodes.start(1);
                // Two of the three CP members join and wait for the third. Node 0's discovery task looks at the member
                // list once a second: it must have seen both before one leaves, or it never notices.
                await().atMost(NodeProcesses.START_BOUND).pollInterval(Duration.ofMillis(500)).until(
                        () -> nodes.currentLog(0).contains("members to join the cluster. Current member count: 2"));
                nodes.stop(1, true);
                await().atMost(FORMATION_BOUND).pollInterval(Duration.ofMillis(500))
                        .until(() -> nodes.currentLog(0).contains("starting the member again"));
                assertTrue(nodes.process(0).isAlive(), "node 0 exited:\n" + nodes.currentLog(0));

                nodes.start(1);
                nodes.start(2);
                for (int i = 0; i < 3; i++) {
                    nodes.awaitReady(i);
                }
                assertEquals(200, nodes.put(2, "/v1/agent/service/register",
                        "{\"ID\":\"formed-1\",\"Name\":\"formed\",\"Port\":7000}").statusCode());
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        nodes.get(0, "/v1/health/service/formed").body().contains("formed-1"));
            } catch (Throwable failure) {
                System.out.println(nodes.failureReport());
                throw failure;
            }
        }
    }
}
