package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.meridian.node.TestNodes.get;
import static io.meridian.node.TestNodes.getAsync;
import static io.meridian.node.TestNodes.index;
import static io.meridian.node.TestNodes.put;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code ./meridian dev} runs, stopped as Ctrl-C stops it. */
class DevClusterTest {

    /** A watcher of a dev cluster that stops gets its answer, as one of a stopping node does, not a reset or a 500. */
    @Test
    void stoppingAnswersTheParkedQueriesFirst() throws Exception {
        DevCluster cluster = DevCluster.start(TestNodes.config(3));
        CompletableFuture<HttpResponse<String>> parked;
        CompletableFuture<HttpResponse<String>> parkedCatalog;
        try {
            MeridianNode serving = cluster.httpNode();
            assertTrue(serving.awaitWritesOpen(Duration.ofSeconds(60)), "writes open");
            assertEquals(200, put(serving, "/v1/agent/service/register",
                    "{\"ID\":\"watched-1\",\"Name\":\"watched\",\"Port\":1}").statusCode());
            long index = index(get(serving, "/v1/health/service/watched"));
            parked = getAsync(serving, "/v1/health/service/watched?index=" + index + "&wait=5m");
            parkedCatalog = getAsync(serving, "/v1/catalog/services?index=" + index + "&wait=5m");
            await().atMost(Duration.ofSeconds(10)).until(() -> PrometheusText.parse(get(serving, "/metrics").body())
                    .value("meridian_http_parked_queries", Map.of()) == 2);
            assertFalse(parked.isDone() || parkedCatalog.isDone(), "both parked");
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }

        cluster.stop(Duration.ofSeconds(10));

        HttpResponse<String> answered = parked.get(10, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertTrue(answered.body().contains("\"watched-1\""), answered.body());
        assertEquals(200, parkedCatalog.get(10, TimeUnit.SECONDS).statusCode());
        assertThrows(java.io.IOException.class, () -> get(cluster.httpNode(), "/v1/health/service/watched"),
                "and the API is gone");
    }
}
