package io.meridian.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registrations past what the members' heaps hold are refused with a 507, and the cluster goes on: three
 * {@code meridian node} processes with 128 MiB heaps, registered with the largest instances the rules allow until
 * one is refused. Before, the registrations went on until an {@link OutOfMemoryError}, on which Hazelcast stopped the
 * members.
 */
class RegistryFullTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE = Duration.ofSeconds(90);
    /**
     * How soon the room deregistrations made is seen by every member: each asks for a collection every 15 s while
     * its heap is full, and the caches of what was looked up are held softly, so one of those collections drops them once they
     * have gone unused for about a second per free MiB of heap.
     */
    private static final Duration ROOM_SEEN = Duration.ofSeconds(150);
    private static final int MOST_ATTEMPTS = 3000;
    private static final int SERVICES = 20;

    @TempDir
    Path directory;

    @Test
    void registrationsPastTheHeapAreRefusedAndTakenAgainOnceDeregistrationsMadeRoom() throws Exception {
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 3, List.of(), List.of("-Xmx128m")).startAll()) {
            try {
                nodes.awaitHealthy(0, SETTLE);
                long start = System.nanoTime();
                int acknowledged = 0;
                HttpResponse<String> refused = null;
                while (refused == null && acknowledged < MOST_ATTEMPTS) {
                    HttpResponse<String> answer = nodes.put(0, "/v1/agent/service/register", largest(acknowledged));
                    if (answer.statusCode() == 200) {
                        acknowledged++;
                    } else {
                        refused = answer;
                    }
                }
                assertTrue(refused != null, "still taking registrations after " + acknowledged);
                assertEquals(507, refused.statusCode(), refused.body());
                System.out.printf("%d registrations taken, then a 507 after %d ms%n", acknowledged,
                        (System.nanoTime() - start) / 1_000_000);
                assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("heap is nearly full"),
                        refused.body());

                int held = acknowledged;
                for (int i = 0; i < nodes.size(); i++) {
                    int node = i;
                    await().atMost(SETTLE).ignoreExceptions().until(() -> listed(nodes, node) == held);
                }
                for (int id = 0; id < acknowledged; id++) {
                    assertEquals(200, nodes.put(0, "/v1/agent/service/deregister/big-" + id, "").statusCode());
                }
                long deregistered = System.nanoTime();
                await().atMost(ROOM_SEEN).until(() -> nodes.put(0, "/v1/agent/service/register", largest(held))
                        .statusCode() == 200);
                System.out.printf("deregistered; a registration was taken again %d ms later%n",
                        (System.nanoTime() - deregistered) / 1_000_000);
                assertFalse(nodes.logs().contains("OutOfMemoryError"), "no member ran out of heap");
            } catch (AssertionError | RuntimeException e) {
                System.out.println(nodes.failureReport());
                throw e;
            }
        }
    }

    /** How many instances of the services {@code big-0} to {@code big-19} the node lists. */
    private static int listed(NodeProcesses nodes, int node) throws Exception {
        int listed = 0;
        for (int service = 0; service < SERVICES; service++) {
            HttpResponse<String> answer = nodes.get(node, "/v1/health/service/big-" + service);
            assertEquals(200, answer.statusCode(), answer.body());
            listed += JSON.readTree(answer.body()).size();
        }
        return listed;
    }

    /**
     * Instance {@code big-N} of one of {@value #SERVICES} services, with as many tags and as much meta as the rules
     * allow; the tags are the same on every instance, so that the catalog of services stays small.
     */
    private static String largest(int n) throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        IntStream.range(0, 64).forEach(i -> meta.put("k" + i, ("v" + n + "-" + i + "-").repeat(128).substring(0, 512)));
        List<String> tags = IntStream.range(0, 64).mapToObj(i -> ("t" + i + "-").repeat(128).substring(0, 255))
                .toList();
        return JSON.writeValueAsString(Map.of("ID", "big-" + n, "Name", "big-" + n % SERVICES, "Port", 80,
                "Tags", tags, "Meta", meta));
    }
}
