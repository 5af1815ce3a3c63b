package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.meridian.node.TestNodes.get;
import static io.meridian.node.TestNodes.index;
import static io.meridian.node.TestNodes.put;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user sees over HTTP while members of a three-member cluster die. */
class ClusterFaultTest {

    @Test
    void acknowledgedWritesSurviveTheLeaderAndWritesFailFastWithoutAMajority() throws Exception {
        try (TestNodes cluster = TestNodes.startThree()) {
            List<Long> indexes = new ArrayList<>();
            assertEquals(200, put(cluster.node(0), "/v1/agent/service/register",
                    "{\"ID\":\"survivor-1\",\"Name\":\"survivor\",\"Port\":8080}").statusCode());
            indexes.add(index(get(cluster.node(1), "/v1/health/service/survivor")));

            MeridianNode leader = cluster.leader();
            cluster.kill(leader);
            MeridianNode survivor = cluster.node(0);

            HttpResponse<String> afterFailover = get(survivor, "/v1/health/service/survivor");
            assertTrue(afterFailover.body().contains("survivor-1"), afterFailover.body());
            indexes.add(index(afterFailover));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(200, put(survivor,
                    "/v1/agent/service/register", "{\"ID\":\"survivor-2\",\"Name\":\"survivor\"}").statusCode()));
            // Another member's copy of the projection follows within milliseconds, not at once.
            HttpResponse<String> afterNewWrite = await().atMost(Duration.ofSeconds(10)).until(
                    () -> get(cluster.node(1), "/v1/health/service/survivor"),
                    read -> read.body().contains("survivor-2"));
            assertTrue(afterNewWrite.body().contains("survivor-2"), afterNewWrite.body());
            indexes.add(index(afterNewWrite));

            cluster.kill(cluster.node(1));

            long start = System.nanoTime();
            HttpResponse<String> refused = put(survivor, "/v1/agent/service/register",
                    "{\"ID\":\"survivor-3\",\"Name\":\"survivor\"}");
            long refusedAfterMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("\"status\":503"), refused.body());
            System.out.println("write without a CP majority refused after " + refusedAfterMillis + " ms");

            HttpResponse<String> minorityRead = get(survivor, "/v1/health/service/survivor");
            assertEquals(200, minorityRead.statusCode());
            assertTrue(minorityRead.body().contains("survivor-1") && minorityRead.body().contains("survivor-2"));
            indexes.add(index(minorityRead));
            assertEquals(indexes.stream().sorted().toList(), indexes, "the index never went backwards");
        }
    }

    /**
     * A node whose member Hazelcast stopped underneath it (after a failed merge, say) can serve nothing until its
     * process starts again: liveness says so, so that Kubernetes restarts the pod.
     */
    @Test
    void aNodeWhoseMemberHazelcastStoppedFailsLiveness() throws Exception {
        try (TestNodes cluster = TestNodes.none(TestNodes.config(3))) {
            MeridianNode node = cluster.add(0);
            assertEquals(200, get(node, "/livez").statusCode());
            node.member().getLifecycleService().terminate();
            HttpResponse<String> live = get(node, "/livez");
            assertEquals(503, live.statusCode(), live.body());
            assertTrue(live.body().contains("\"live\":false"), live.body());
            assertEquals(503, get(node, "/readyz").statusCode());
        }
    }
}
