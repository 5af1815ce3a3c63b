package io.meridian.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three {@code meridian node --config FILE} processes on loopback form one cluster with a working CP Subsystem. */
class MultiProcessClusterTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path directory;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void threeNodeProcessesFormACpClusterThatServesWritesAndReads() throws Exception {
        int memberBase = 20_000 + ThreadLocalRandom.current().nextInt(400) * 100;
        int httpBase = memberBase + 50;
        String cluster = "multi-" + UUID.randomUUID();
        String members = "127.0.0.1:" + memberBase + ",127.0.0.1:" + (memberBase + 1) + ",127.0.0.1:" + (memberBase + 2);
        for (int i = 0; i < 3; i++) {
            Path config = directory.resolve("node-" + i + ".properties");
            Files.writeString(config, String.join("\n",
                    "meridian.cluster-name=" + cluster,
                    "meridian.node-name=node-" + i,
                    "meridian.bind-address=127.0.0.1",
                    "meridian.hazelcast-port=" + (memberBase + i),
                    "meridian.members=" + members,
                    "meridian.http-port=" + (httpBase + i),
                    "meridian.dns-port=0"));
            processes.add(startNode(config, directory.resolve("node-" + i + ".log")));
        }

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> leader = get(httpBase + i, "/v1/status/leader");
                assertTrue(leader.body().matches("\"127\\.0\\.0\\.1:\\d+\""), "node " + i + ": " + leader.body());
            }
        });
        assertEquals(3, get(httpBase, "/v1/status/peers").body().split(",").length);

        HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpBase + "/v1/agent/service/register"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"ID\":\"mp-1\",\"Name\":\"multi\",\"Port\":7000}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, registered.statusCode(), registered.body());
        assertTrue(get(httpBase + 2, "/v1/health/service/multi").body().contains("mp-1"));
        assertTrue(get(httpBase + 1, "/v1/health/service/multi?consistent").body().contains("mp-1"));
    }

    private Process startNode(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.meridian.node.Main", "node", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
