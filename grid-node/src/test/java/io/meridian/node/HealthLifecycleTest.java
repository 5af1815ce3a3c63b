package io.meridian.node;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.meridian.node.TestNodes.get;
import static io.meridian.node.TestNodes.put;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Health states that the nodes' own checkers turn into deregistrations. */
class HealthLifecycleTest {

    private static TestNodes cluster;

    @BeforeAll
    static void start() throws InterruptedException {
        cluster = TestNodes.startThree();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aDrainingInstanceLeavesPassingLookupsAtOnceAndIsDeregisteredWhenItsPeriodEnds() throws Exception {
        MeridianNode node = cluster.node(0);
        put(node, "/v1/agent/service/register", "{\"ID\":\"drained-1\",\"Name\":\"drained\"}");
        assertEquals(200, put(node, "/v1/agent/service/drain/drained-1?period=2s", "").statusCode());
        assertEquals("[]", get(node, "/v1/health/service/drained?passing").body());
        assertEquals(1, get(node, "/v1/health/service/drained").body().split("\"ID\":\"drained-1\"").length - 1);

        await().atMost(Duration.ofSeconds(15))
                .until(() -> get(cluster.node(1), "/v1/health/service/drained").body().equals("[]"));
    }

    @Test
    void anHttpCheckTurnsPassingAndItsOutputIsShown() throws Exception {
        MeridianNode node = cluster.node(2);
        String leader = "http://127.0.0.1:" + node.httpPort() + "/v1/status/leader";
        put(node, "/v1/agent/service/register", "{\"ID\":\"self-1\",\"Name\":\"self\",\"Check\":{\"HTTP\":\""
                + leader + "\",\"Interval\":\"1s\"}}");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> get(node, "/v1/health/service/self?passing").body().contains("self-1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> get(node, "/v1/agent/self").body()
                .matches(".*\"Stats\":\\{\"health\":\\{.*\"checks_running\":[0-9].*"));
        await().atMost(Duration.ofSeconds(5)).until(() -> get(cluster.node(0), "/v1/health/checks/self").body()
                .contains("HTTP GET " + leader + ": 200 Output: \\\"127.0.0.1:"));
    }

    @Test
    void aFailureReportMakesTheOwnerCheckAtOnceAndSkipsDamping() throws Exception {
        MeridianNode node = cluster.node(0);
        int closedPort;
        try (java.net.ServerSocket unused =
                     new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        put(node, "/v1/agent/service/register", "{\"ID\":\"flaky-1\",\"Name\":\"flaky\",\"Check\":{\"TCP\":"
                + "\"127.0.0.1:" + closedPort + "\",\"Interval\":\"1m\",\"Status\":\"passing\","
                + "\"FailuresBeforeCritical\":5}}");
        // 404 until the owner's scheduler has picked the new check up, within a second or so
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertEquals("critical",
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        put(node, "/v1/agent/service/report/flaky-1?outcome=failure", "").body())
                        .get("Status").asText()));
        assertEquals("[]", get(cluster.node(1), "/v1/health/service/flaky?passing").body(),
                "critical at once, not after five failures a minute apart");
    }

    @Test
    void anInstanceWhoseCheckStaysCriticalIsDeregisteredAfterItsDeadline() throws Exception {
        MeridianNode node = cluster.node(1);
        put(node, "/v1/agent/service/register", "{\"ID\":\"dead-1\",\"Name\":\"dead\",\"Check\":{\"TCP\":"
                + "\"127.0.0.1:1\",\"Interval\":\"1s\",\"Timeout\":\"500ms\","
                + "\"DeregisterCriticalServiceAfter\":\"2s\"}}");
        assertEquals(200, get(node, "/v1/health/service/dead").statusCode());
        await().atMost(Duration.ofSeconds(15))
                .until(() -> get(cluster.node(2), "/v1/health/service/dead").body().equals("[]"));
    }
}
