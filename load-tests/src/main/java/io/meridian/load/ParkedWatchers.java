package io.meridian.load;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parks {@code count} blocking queries on one service of a {@code meridian dev} server in a child process, reads the
 * server's heap (after a full GC) and thread count before and while they are parked, then writes once and measures
 * the time from the write's acknowledgement until every watcher has its answer.
 */
final class ParkedWatchers {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private ParkedWatchers() {
    }

    static void run(int count) throws Exception {
        int httpPort = 41_000 + (int) (Math.random() * 1000);
        int memberPort = 43_000 + (int) (Math.random() * 200) * 10;
        Process server = startServer(httpPort, memberPort);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        String base = "http://127.0.0.1:" + httpPort;
        try {
            awaitReady(http, base);
            send(http, "PUT", base + "/v1/agent/service/register", "{\"ID\":\"w-1\",\"Name\":\"watched\"}");
            HttpResponse<String> first = send(http, "GET", base + "/v1/health/service/watched", null);
            String index = first.headers().firstValue("X-Consul-Index").orElseThrow();
            System.out.printf("server before: heap used %d MiB, %d threads%n", heapMiB(server), threads(server));

            try (RawWatchers watchers = RawWatchers.park(new InetSocketAddress("127.0.0.1", httpPort),
                    "/v1/health/service/watched?index=" + index + "&wait=9m", count)) {
                Thread.sleep(10_000);
                System.out.printf("server with %d parked: heap used %d MiB, %d threads (answered early: %d)%n",
                        count, heapMiB(server), threads(server), watchers.answered());

                send(http, "PUT", base + "/v1/agent/service/register", "{\"ID\":\"w-2\",\"Name\":\"watched\"}");
                long acknowledged = System.nanoTime();
                long[] answeredAt = watchers.awaitAll(acknowledged + TimeUnit.MINUTES.toNanos(2));
                long[] delays = java.util.Arrays.stream(answeredAt).filter(at -> at != 0)
                        .map(at -> Math.max(0, at - acknowledged)).toArray();
                System.out.printf("after one write: %d of %d answered with the change; from acknowledgement to "
                        + "first response byte %s%n", watchers.containing("w-2"), count, Percentiles.of(delays));
            }
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static Process startServer(int httpPort, int memberPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.meridian.node.Main", "dev", "--http-port", Integer.toString(httpPort));
        builder.environment().put("MERIDIAN_CLUSTER_NAME", "watchers-" + UUID.randomUUID());
        builder.environment().put("MERIDIAN_HAZELCAST_PORT", Integer.toString(memberPort));
        builder.environment().put("MERIDIAN_MEMBERS",
                "127.0.0.1:" + memberPort + ",127.0.0.1:" + (memberPort + 1) + ",127.0.0.1:" + (memberPort + 2));
        Path log = Files.createTempFile("meridian-watchers", ".log");
        System.out.println("server log: " + log);
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(HttpClient http, String base) throws InterruptedException {
        for (int attempt = 0; attempt < 240; attempt++) {
            try {
                if (send(http, "GET", base + "/v1/status/leader", null).body().length() > 2) {
                    return;
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server did not start within 2 minutes");
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long heapMiB(Process server) throws Exception {
        jcmd(server, "GC.run");
        Matcher used = HEAP_USED.matcher(jcmd(server, "GC.heap_info"));
        return used.find() ? Long.parseLong(used.group(1)) / 1024 : -1;
    }

    private static long threads(Process server) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status")).stream()
                .filter(line -> line.startsWith("Threads:"))
                .mapToLong(line -> Long.parseLong(line.substring(8).trim())).findFirst().orElse(-1);
    }

    private static String jcmd(Process server, String command) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, Long.toString(server.pid()), command).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }
}
