package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every member of a three-process cluster stops at the same moment, first by SIGKILL within milliseconds of the last
 * acknowledged registration, then by SIGTERM, and starts again on the same data directories: every acknowledged
 * registration is there, no index has gone back, a token and a prepared query made before the stop still work, and
 * writes are acknowledged again. Under default-deny, so the tokens matter.
 */
class WholeClusterRestartTest {

    private static final String ROOT = UUID.randomUUID().toString();
    private static final int REGISTRATIONS = 1_000;
    private static final int CLIENTS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path directory;

    @Test
    void everyAcknowledgedWriteSurvivesAWholeClusterKillAndAWholeClusterStop() throws Exception {
        NodeProcesses nodes = NodeProcesses.layOut(directory, 3, List.of("meridian.acl-default-policy=deny",
                "meridian.acl-bootstrap-token=" + ROOT, "meridian.shutdown-timeout=5s"));
        try (nodes) {
            nodes.startAll();
            awaitWritesOpen(nodes);
            String writer = createToken(nodes);
            HttpResponse<String> query = send(nodes, 2, "POST", "/v1/query", writer,
                    "{\"Name\":\"dur-all\",\"Service\":{\"Service\":\"dur\"}}");
            assertEquals(200, query.statusCode(), query.body());
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            long indexBefore = registerThenKillAll(nodes, writer, acknowledged);
            assertEquals(REGISTRATIONS, acknowledged.size());

            restart(nodes);
            assertEverythingIsBack(nodes, writer, acknowledged, indexBefore);

            for (int i = 0; i < 50; i++) {
                String id = "after-kill-" + i;
                assertEquals(200, register(nodes, i % 3, writer, id).statusCode());
                acknowledged.add(id);
            }
            long indexBeforeStop = serviceIndex(nodes, 0, writer);
            List<Thread> stopping = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                int node = i;
                Thread thread = new Thread(() -> stopGracefully(nodes, node));
                thread.start();
                stopping.add(thread);
            }
            for (Thread thread : stopping) {
                thread.join();
            }
            restart(nodes);
            assertEverythingIsBack(nodes, writer, acknowledged, indexBeforeStop);
        } catch (Throwable e) {
            System.err.println(nodes.failureReport());
            throw e;
        }
    }

    /**
     * Sixteen clients register over the three nodes; the one that gets the last acknowledgement kills every node at
     * once. Returns the service's index read while the writes ran.
     */
    private long registerThenKillAll(NodeProcesses nodes, String token, Set<String> acknowledged) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong indexSeen = new AtomicLong();
        List<String> refused = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            clients.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < REGISTRATIONS) {
                    String id = "dur-" + i;
                    try {
                        HttpResponse<String> answer = register(nodes, i % 3, token, id);
                        if (answer.statusCode() != 200) {
                            refused.add(id + ": " + answer.statusCode() + " " + answer.body());
                        } else if (acknowledged.add(id) && acknowledged.size() == REGISTRATIONS) {
                            for (int node = 0; node < nodes.size(); node++) {
                                nodes.process(node).destroyForcibly();
                            }
                        } else if (i == REGISTRATIONS / 2) {
                            indexSeen.set(serviceIndex(nodes, i % 3, token));
                        }
                    } catch (Exception e) {
                        refused.add(id + ": " + e);
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(5, TimeUnit.MINUTES));
        assertEquals(List.of(), refused, "every registration is acknowledged while the cluster runs");
        for (int node = 0; node < nodes.size(); node++) {
            nodes.process(node).waitFor(30, TimeUnit.SECONDS);
        }
        return indexSeen.get();
    }

    private void restart(NodeProcesses nodes) throws Exception {
        nodes.startAll();
        awaitWritesOpen(nodes);
    }

    private void assertEverythingIsBack(NodeProcesses nodes, String token, Set<String> acknowledged, long indexBefore)
            throws Exception {
        for (int node = 0; node < nodes.size(); node++) {
            HttpResponse<String> lookup = send(nodes, node, "GET", "/v1/health/service/dur", token, null);
            assertEquals(200, lookup.statusCode(), "the token made before the stop still works");
            Set<String> ids = new HashSet<>();
            for (JsonNode entry : JSON.readTree(lookup.body())) {
                ids.add(entry.get("Service").get("ID").asText());
            }
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(ids);
            assertTrue(missing.isEmpty(), "node-" + node + " lacks " + missing.size() + " acknowledged"
                    + " registrations, e.g. " + missing.stream().limit(5).toList());
            long index = Long.parseLong(lookup.headers().firstValue("X-Consul-Index").orElseThrow());
            assertTrue(index >= indexBefore, "node-" + node + "'s index went back from " + indexBefore + " to "
                    + index);
        }
        assertEquals(401, send(nodes, 0, "GET", "/v1/health/service/dur", null, null).statusCode(),
                "default-deny still holds");
        HttpResponse<String> query = send(nodes, 1, "GET", "/v1/query/dur-all/execute", token, null);
        assertEquals(200, query.statusCode(), "the prepared query made before the stop is there: " + query.body());
        assertEquals(acknowledged.size(), JSON.readTree(query.body()).get("Nodes").size());
    }

    private void awaitWritesOpen(NodeProcesses nodes) {
        await().atMost(NodeProcesses.START_BOUND).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> send(nodes, 0, "PUT", "/v1/agent/service/register", ROOT,
                        "{\"ID\":\"probe\",\"Name\":\"probe\"}").statusCode() == 200);
    }

    private String createToken(NodeProcesses nodes) throws Exception {
        assertEquals(200, send(nodes, 0, "PUT", "/v1/acl/policy", ROOT, "{\"Name\":\"dur-write\",\"Rules\":["
                + "{\"Namespace\":\"default\",\"ServicePrefix\":\"dur\",\"Access\":\"write\"}]}").statusCode());
        HttpResponse<String> created = send(nodes, 1, "PUT", "/v1/acl/token", ROOT,
                "{\"Description\":\"writer\",\"Policies\":[{\"Name\":\"dur-write\"}]}");
        assertEquals(200, created.statusCode(), created.body());
        return JSON.readTree(created.body()).get("SecretID").asText();
    }

    private HttpResponse<String> register(NodeProcesses nodes, int node, String token, String id) throws Exception {
        return send(nodes, node, "PUT", "/v1/agent/service/register", token,
                "{\"ID\":\"" + id + "\",\"Name\":\"dur\",\"Port\":8080}");
    }

    private long serviceIndex(NodeProcesses nodes, int node, String token) throws Exception {
        return Long.parseLong(send(nodes, node, "GET", "/v1/health/service/dur", token, null).headers()
                .firstValue("X-Consul-Index").orElseThrow());
    }

    private void stopGracefully(NodeProcesses nodes, int node) {
        try {
            nodes.stop(node, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> send(NodeProcesses nodes, int node, String method, String path, String token,
                                      String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.httpPort(node)
                        + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
