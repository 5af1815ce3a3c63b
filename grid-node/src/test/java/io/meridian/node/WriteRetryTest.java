package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write answered 503 is not confirmed, and may still be applied; the answer says so, and retrying it is safe. Three
 * {@code meridian node} processes; the two other than the one written to are frozen (SIGSTOP) while it waits, then
 * resumed before the retry.
 */
class WriteRetryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECOVERY = Duration.ofSeconds(120);
    private static final String REGISTRATION = "{\"ID\":\"retry-1\",\"Name\":\"retry\",\"Port\":8080}";

    @TempDir
    Path directory;

    @Test
    void aRegistrationRetriedAfterA503TakesEffectOnce() throws Exception {
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 3, List.of()).startAll()) {
            try {
                nodes.awaitHealthy(0, RECOVERY);
                HttpResponse<String> unconfirmed = withMajorityFrozen(nodes,
                        () -> nodes.put(0, "/v1/agent/service/register", REGISTRATION));
                assertEquals(503, unconfirmed.statusCode(), unconfirmed.body());
                assertTrue(unconfirmed.body().contains("may still be applied: retrying a registration"),
                        unconfirmed.body());
                await().atMost(RECOVERY).ignoreExceptions().until(() ->
                        nodes.put(0, "/v1/agent/service/register", REGISTRATION).statusCode() == 200);
                // A consistent read may be answered 503 while the resumed members settle: read until one answers.
                List<String> ids = await().atMost(RECOVERY).ignoreExceptions().until(() -> ids(nodes),
                        answered -> true);
                assertEquals(List.of("retry-1"), ids, "registered once, whether the first try was applied");
            } catch (AssertionError | RuntimeException e) {
                System.out.println(nodes.failureReport());
                throw e;
            }
        }
    }

    /** Sends the request to node 0 while nodes 1 and 2 are frozen; they run again before this returns. */
    private static HttpResponse<String> withMajorityFrozen(NodeProcesses nodes, Request request) throws Exception {
        nodes.pause(1);
        nodes.pause(2);
        try {
            return request.send();
        } finally {
            nodes.resume(1);
            nodes.resume(2);
        }
    }

    private interface Request {
        HttpResponse<String> send() throws Exception;
    }

    /** The instances of service {@code retry} as the committed state holds them. */
    private static List<String> ids(NodeProcesses nodes) throws Exception {
        HttpResponse<String> listed = nodes.get(0, "/v1/health/service/retry?consistent");
        assertEquals(200, listed.statusCode(), listed.body());
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(listed.body())) {
            ids.add(entry.at("/Service/ID").asText());
        }
        return ids;
    }
}
