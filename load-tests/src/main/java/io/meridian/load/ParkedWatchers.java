package io.meridian.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parks {@code count} blocking queries, spread evenly over {@code services} services, on a {@code meridian dev} server
 * in a child process, reads the server's heap (after a full GC) and thread count before and while they are parked,
 * then writes once to each service and measures, for every watcher, the time from its service's write being
 * acknowledged until the watcher has its answer; {@code rounds} times on the same server, the first one cold. Each
 * watcher's connection asks to be closed after its answer, or is kept alive.
 */
final class ParkedWatchers {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private ParkedWatchers() {
    }

    static void run(int count, int services, int rounds, boolean keepAlive) throws Exception {
        int httpPort = 41_000 + (int) (Math.random() * 1000);
        int memberPort = 43_000 + (int) (Math.random() * 200) * 10;
        Process server = startServer(httpPort, memberPort);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        String base = "http://127.0.0.1:" + httpPort;
        try {
            awaitWritable(http, base);
            Writes registered = registerInEach(http, base, services, "1");
            System.out.printf("server before: heap used %d MiB, %d threads (%d services registered in %.1f s)%n",
                    heapMiB(server), threads(server), services, registered.seconds());
            // The first round also warms the server's answering path up (the JIT compiles it while it answers).
            for (int round = 1; round <= rounds; round++) {
                park(server, http, base, new InetSocketAddress("127.0.0.1", httpPort), count, services, round,
                        keepAlive);
            }
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** One round: parks the watchers, reads heap and threads, writes once to each service, times the answers. */
    private static void park(Process server, HttpClient http, String base, InetSocketAddress address, int count,
                             int services, int round, boolean keepAlive) throws Exception {
        String[] indexes = new String[services];
        for (int s = 0; s < services; s++) {
            indexes[s] = send(http, "GET", base + "/v1/health/service/" + service(s), null).headers()
                    .firstValue("X-Consul-Index").orElseThrow();
        }
        try (RawWatchers watchers = RawWatchers.park(address, i -> "/v1/health/service/" + service(i % services)
                + "?index=" + indexes[i % services] + "&wait=9m", count, round, keepAlive)) {
            Thread.sleep(10_000);
            System.out.printf("round %d, %d parked over %d services: heap used %d MiB, %d threads (answered early: "
                    + "%d)%n", round, count, services, heapMiB(server), threads(server), watchers.answered());
            // The heap reading ran a full GC; the write is timed once the server has settled from it.
            Thread.sleep(5_000);

            // The watchers are read while the writes go on, so that each answer is timed when it arrives.
            CompletableFuture<long[]> answers = CompletableFuture.supplyAsync(() -> {
                try {
                    return watchers.awaitAll(System.nanoTime() + TimeUnit.MINUTES.toNanos(10));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String suffix = Integer.toString(round + 1);
            Writes changes = registerInEach(http, base, services, suffix);
            long[] answeredAt = answers.join();
            long[] delays = new long[count];
            int answered = 0;
            for (int i = 0; i < count; i++) {
                if (answeredAt[i] != 0) {
                    delays[answered++] = Math.max(0, answeredAt[i] - changes.acknowledgedAt()[i % services]);
                }
            }
            System.out.printf("round %d, after one write to each service: %d of %d answered with their service's "
                    + "change; from that write's acknowledgement to first response byte %s%n", round,
                    watchers.containing(i -> service(i % services) + "-" + suffix), count,
                    Percentiles.of(Arrays.copyOf(delays, answered)));
        }
    }

    private static String service(int number) {
        return "watched-" + number;
    }

    /** When a round of writes started, and when each write was acknowledged (by service number), in nanoseconds. */
    private record Writes(long startedAt, long[] acknowledgedAt) {
        double seconds() {
            return (Arrays.stream(acknowledgedAt).max().orElse(startedAt) - startedAt) / 1e9;
        }
    }

    /** Registers instance {@code <service>-<suffix>} in every service, 32 at a time. */
    private static Writes registerInEach(HttpClient http, String base, int services, String suffix)
            throws Exception {
        long startedAt = System.nanoTime();
        long[] acknowledged = new long[services];
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int s = 0; s < services; s++) {
            int number = s;
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/agent/service/register"))
                    .PUT(HttpRequest.BodyPublishers.ofString(registration(s, suffix))).build();
            writes.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                acknowledged[number] = System.nanoTime();
                inFlight.release();
                if (error != null || response.statusCode() != 200) {
                    throw new IllegalStateException("registering in " + service(number) + " failed: "
                            + (error != null ? error : response.body()));
                }
            }));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        return new Writes(startedAt, acknowledged);
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

    /** Waits until the server takes writes: until the first service's first registration is acknowledged. */
    private static void awaitWritable(HttpClient http, String base) throws InterruptedException {
        for (int attempt = 0; attempt < 240; attempt++) {
            try {
                if (send(http, "PUT", base + "/v1/agent/service/register", registration(0, "1")).statusCode()
                        == 200) {
                    return;
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server did not take writes within 2 minutes");
    }

    private static String registration(int service, String suffix) {
        return "{\"ID\":\"" + service(service) + "-" + suffix + "\",\"Name\":\"" + service(service) + "\"}";
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
