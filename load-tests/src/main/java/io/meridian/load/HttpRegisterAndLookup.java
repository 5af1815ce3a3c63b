package io.meridian.load;

import java.time.Duration;

/**
 * Register throughput and latency over HTTP at 1, 16 and 64 concurrent clients, then lookup throughput
 * ({@code GET /v1/health/service/x?passing}) on one node, against a three-member cluster in this JVM.
 */
final class HttpRegisterAndLookup {

    private HttpRegisterAndLookup() {
    }

    static void run(Duration measured) throws Exception {
        try (LocalCluster cluster = LocalCluster.start()) {
            for (int clients : new int[] {1, 16, 64}) {
                ClosedLoop.Result result = ClosedLoop.run(clients, Duration.ofSeconds(5), measured,
                        (client, call) -> cluster.send("PUT", "/v1/agent/service/register", String.format(
                                "{\"ID\":\"reg-%d-%d\",\"Name\":\"svc-%d\",\"Port\":8080,\"Tags\":[\"v1\"],"
                                        + "\"Meta\":{\"version\":\"1.0\"}}", client, call % 500, call % 50)));
                System.out.println("register over HTTP: " + result);
            }
            for (int i = 0; i < 10; i++) {
                cluster.send("PUT", "/v1/agent/service/register",
                        "{\"ID\":\"x-" + i + "\",\"Name\":\"x\",\"Port\":" + (9000 + i) + "}");
            }
            for (int clients : new int[] {1, 16}) {
                ClosedLoop.Result result = ClosedLoop.run(clients, Duration.ofSeconds(5), measured,
                        (client, call) -> cluster.send("GET", "/v1/health/service/x?passing", null));
                System.out.println("lookup over HTTP (10 instances): " + result);
            }
        }
    }
}
