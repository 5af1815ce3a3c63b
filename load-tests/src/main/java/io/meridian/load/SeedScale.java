package io.meridian.load;

import io.meridian.node.NodeProcesses;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The seed's scale on three {@code meridian node} processes (default settings, durability on, {@code -Xmx2g} each):
 * INSTANCES instances (default 100,000) in SERVICES services (default 5,000), each with eight meta pairs of about
 * 500 bytes in all and three tags, registered over HTTP by 64 clients spread over the nodes. Prints the time to load
 * them, each member's heap after a full GC and its threads before and after, the latency of lookups
 * ({@code ?passing} of a random service, one client) and of writes (re-registering a random instance, one client) at
 * that size, and the heap of an SDK client holding every service, in a JVM of its own ({@link ClientHeapProbe}).
 */
final class SeedScale {

    private static final int LOADERS = 64;
    private static final int SAMPLES = 2_000;
    private static final int WARM_UP = 500;
    private static final String META = """
            {"version":"2.31.4-build.1187","region":"eu-west-1","zone":"eu-west-1b","weight":"100",\
            "canary":"false","owner":"team-payments@example.com",\
            "git-sha":"9f1c2e4b7a0d3c5e8f6a1b2c3d4e5f6a7b8c9d0e","started-at":"2026-11-24T06:00:00Z"}""";

    private SeedScale() {
    }

    static void run(int instances, int services) throws Exception {
        Path directory = Files.createTempDirectory("meridian-seed-scale");
        try (NodeProcesses nodes = NodeProcesses.layOutForBenchmarks(directory, 3, List.of(), List.of("-Xmx2g"))) {
            try {
                nodes.startAll();
                measure(nodes, instances, services);
            } catch (Exception | Error e) {
                System.out.println(nodes.logs());
                throw e;
            }
        }
    }

    private static void measure(NodeProcesses nodes, int instances, int services) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        printMembers(nodes, "empty");

        long start = System.nanoTime();
        int failed = load(http, nodes, instances, services);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("loaded %,d instances in %,d services with %d clients in %.1f s (%,.0f writes/s),"
                + " %d writes failed%n", instances, services, LOADERS, seconds, instances / seconds, failed);
        printMembers(nodes, "loaded");

        Percentiles lookups = sample(i -> get(http, nodes, i % nodes.size(),
                "/v1/health/service/svc-" + ThreadLocalRandom.current().nextInt(services) + "?passing"));
        System.out.println("lookup of a random service (?passing, one client, HttpClient): " + lookups);
        Percentiles writes = sample(i -> {
            int id = ThreadLocalRandom.current().nextInt(instances);
            return register(http, nodes, i % nodes.size(), id, services);
        });
        System.out.println("re-registration of a random instance (one client, HttpClient): " + writes);

        String members = String.join(",", List.of(0, 1, 2).stream()
                .map(i -> "127.0.0.1:" + nodes.memberPort(i)).toList());
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), ClientHeapProbe.class.getName(),
                nodes.clusterName(), members, String.valueOf(services)).inheritIO().start();
        if (!probe.waitFor(10, TimeUnit.MINUTES)) {
            probe.destroyForcibly();
            throw new IllegalStateException("the SDK client's JVM did not finish within 10 minutes");
        }
    }

    private static void printMembers(NodeProcesses nodes, String when) throws Exception {
        for (int i = 0; i < nodes.size(); i++) {
            long pid = nodes.process(i).pid();
            System.out.printf("%s: member %d heap after a full GC %,d MB, %d threads%n", when, i,
                    ProcessFigures.heapAfterGcMegabytes(pid), ProcessFigures.threads(pid));
        }
    }

    /** Registers every instance, 64 at a time, each through the node its id picks; returns how many failed. */
    private static int load(HttpClient http, NodeProcesses nodes, int instances, int services) throws Exception {
        ExecutorService loaders = Executors.newFixedThreadPool(LOADERS);
        AtomicInteger failed = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            int id = i;
            done.add(loaders.submit(() -> {
                if (register(http, nodes, id % nodes.size(), id, services) != 200) {
                    failed.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        loaders.shutdown();
        return failed.get();
    }

    /** Times one call after another, after a warm-up; each call gets its sequence number. */
    private static Percentiles sample(IntFunction<Integer> call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.apply(i);
        }
        long[] nanos = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long before = System.nanoTime();
            int status = call.apply(i);
            nanos[i] = System.nanoTime() - before;
            if (status != 200) {
                throw new IllegalStateException("answered " + status);
            }
        }
        return Percentiles.of(nanos);
    }

    private static int register(HttpClient http, NodeProcesses nodes, int node, int id, int services) {
        String body = String.format("{\"ID\":\"inst-%d\",\"Name\":\"svc-%d\",\"Address\":\"10.%d.%d.%d\",\"Port\":8080,"
                        + "\"Tags\":[\"v2\",\"http\",\"eu-west-1b\"],\"Meta\":%s}", id, id % services,
                (id >> 16) & 255, (id >> 8) & 255, id & 255, META);
        return send(http, HttpRequest.newBuilder(uri(nodes, node, "/v1/agent/service/register"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static int get(HttpClient http, NodeProcesses nodes, int node, String path) {
        return send(http, HttpRequest.newBuilder(uri(nodes, node, path)).GET());
    }

    private static URI uri(NodeProcesses nodes, int node, String path) {
        return URI.create("http://127.0.0.1:" + nodes.httpPort(node) + path);
    }

    private static int send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
