package io.meridian.load;

import io.meridian.client.DiscoveryClient;
import io.meridian.client.InstanceQuery;
import io.meridian.client.Subscription;
import io.meridian.client.balance.SmoothWeightedRoundRobin;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The key figures in under three minutes, for a change that might have made something slower: registrations at 1
 * and 64 clients, lookups over HTTP and DNS, propagation from write start to an HTTP blocking query and to an SDK
 * listener, and the SDK's {@code healthy()} and {@code choose()} on two threads with their call-time p99 and
 * allocation. Each figure is printed with the goal it serves; the peers' figures come from
 * {@code ../shared/peers/side-by-side.sh}, not from here. Run by {@code load-tests/run.sh quick}.
 */
final class QuickGuard {

    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURED = Duration.ofSeconds(8);
    private static final int PROPAGATION_ROUNDS = 200;

    private QuickGuard() {
    }

    static void run() throws Exception {
        try (LocalCluster cluster = LocalCluster.start()) {
            for (int clients : new int[] {1, 64}) {
                print("registrations over HTTP", ClosedLoop.run(clients, WARM_UP, MEASURED,
                        (client, call) -> cluster.send("PUT", "/v1/agent/service/register", String.format(
                                "{\"ID\":\"reg-%d-%d\",\"Name\":\"svc-%d\",\"Port\":8080}", client, call % 100,
                                call % 20))), "at 64 clients >= 2x etcd's puts/s; at 1 client p50 <= etcd's");
            }
            for (int i = 0; i < 10; i++) {
                cluster.send("PUT", "/v1/agent/service/register",
                        "{\"ID\":\"x-" + i + "\",\"Name\":\"x\",\"Port\":" + (9000 + i) + "}");
            }
            print("HTTP lookups, ?passing, 10 instances", httpLookups(cluster),
                    ">= 2x Eureka's (wrk -c16 in side-by-side.sh)");
            print("DNS A lookups over UDP", dnsLoad(cluster), ">= BIND's (dnsperf in side-by-side.sh)");
            propagation(cluster);
            sdkAllocation(cluster);
        }
        sdk();
    }

    /**
     * What one thread allocates over a million {@code healthy()} and {@code choose()} calls after a warm-up, counted by
     * the JVM for that thread alone: JMH's GC profiler divides the whole JVM's allocation, the members' included,
     * by the calls.
     */
    private static void sdkAllocation(LocalCluster cluster) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        SmoothWeightedRoundRobin balancer = new SmoothWeightedRoundRobin();
        try (DiscoveryClient client = cluster.discoveryClient()) {
            for (int i = 0; i < 2_000_000; i++) {
                client.healthy("x", InstanceQuery.ANY);
                client.choose("x", balancer);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000_000; i++) {
                client.healthy("x", InstanceQuery.ANY);
            }
            long afterHealthy = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000_000; i++) {
                client.choose("x", balancer);
            }
            long afterChoose = threads.getCurrentThreadAllocatedBytes();
            System.out.printf("%-40s healthy() %d B, choose() %d B%n%-40s goal: no allocation per call%n",
                    "SDK: allocated over 1,000,000 calls", afterHealthy - before, afterChoose - afterHealthy, "");
        }
    }

    private static void print(String what, ClosedLoop.Result result, String goal) {
        System.out.printf("%-40s %s%n%-40s goal: %s%n", what, result, "", goal);
    }

    /** 16 clients, each on its own keep-alive connection. */
    private static ClosedLoop.Result httpLookups(LocalCluster cluster) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", cluster.cluster().httpNode().httpPort());
        KeepAliveGet[] connections = new KeepAliveGet[16];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new KeepAliveGet(server, "/v1/health/service/x?passing");
        }
        try {
            return ClosedLoop.run(connections.length, WARM_UP, MEASURED, (client, call) -> connections[client].get());
        } finally {
            for (KeepAliveGet connection : connections) {
                connection.close();
            }
        }
    }

    /** 16 clients, each with its own socket, sending one prepared A query and waiting for its answer. */
    private static ClosedLoop.Result dnsLoad(LocalCluster cluster) throws Exception {
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("x.service.consul."), Type.A, DClass.IN))
                .toWire();
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", cluster.cluster().httpNode().dnsPort());
        DatagramSocket[] sockets = new DatagramSocket[16];
        for (int i = 0; i < sockets.length; i++) {
            sockets[i] = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            sockets[i].setSoTimeout(2_000);
        }
        try {
            return ClosedLoop.run(sockets.length, WARM_UP, MEASURED, (client, call) -> {
                sockets[client].send(new DatagramPacket(query, query.length, server));
                byte[] answer = new byte[512];
                sockets[client].receive(new DatagramPacket(answer, answer.length));
            });
        } finally {
            for (DatagramSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * One write at a time to a watched service; for each, the time from sending the write until a parked HTTP
     * blocking query answers with it, and until an SDK client's listener hears of it.
     */
    private static void propagation(LocalCluster cluster) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + cluster.cluster().httpNode().httpPort();
        register(cluster, 0);
        AtomicLong heardSeq = new AtomicLong(-1);
        AtomicLong heardAt = new AtomicLong();
        long[] toWatcher = new long[PROPAGATION_ROUNDS];
        long[] toListener = new long[PROPAGATION_ROUNDS];
        try (DiscoveryClient client = cluster.discoveryClient();
             Subscription ignored = client.watch("fresh", instances -> instances.forEach(entry -> {
                 long seq = Long.parseLong(entry.instance().meta().getOrDefault("seq", "-1"));
                 if (seq > heardSeq.get()) {
                     heardAt.set(System.nanoTime());
                     heardSeq.set(seq);
                 }
             }))) {
            for (int round = 1; round <= PROPAGATION_ROUNDS; round++) {
                String index = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/health/service/fresh")).build(),
                        HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Consul-Index").orElseThrow();
                CompletableFuture<Long> watcher = http.sendAsync(HttpRequest.newBuilder(
                                URI.create(base + "/v1/health/service/fresh?index=" + index + "&wait=30s")).build(),
                        HttpResponse.BodyHandlers.discarding()).thenApply(response -> System.nanoTime());
                TimeUnit.MILLISECONDS.sleep(20);
                long start = System.nanoTime();
                register(cluster, round);
                toWatcher[round - 1] = watcher.get(30, TimeUnit.SECONDS) - start;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (heardSeq.get() < round && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                toListener[round - 1] = heardAt.get() - start;
            }
        }
        System.out.printf("%-40s %s%n%-40s goal: p99 <= etcd's put-to-watch-event p99%n",
                "propagation, write start to HTTP watcher", Percentiles.of(toWatcher), "");
        System.out.printf("%-40s %s%n%-40s goal: p99 <= half etcd's%n",
                "propagation, write start to SDK listener", Percentiles.of(toListener), "");
    }

    private static void register(LocalCluster cluster, long seq) throws Exception {
        cluster.send("PUT", "/v1/agent/service/register",
                "{\"ID\":\"fresh-1\",\"Name\":\"fresh\",\"Port\":8080,\"Meta\":{\"seq\":\"" + seq + "\"}}");
    }

    /** The SDK's lookups under JMH on two threads: throughput and allocation, then sampled call times. */
    private static void sdk() throws Exception {
        for (RunResult run : new Runner(new OptionsBuilder().include(LookupBenchmark.class.getName()
                        + "\\.(healthy|choose)(CallTime)?$").threads(2).forks(1)
                .warmupIterations(1).warmupTime(TimeValue.seconds(3))
                .measurementIterations(3).measurementTime(TimeValue.seconds(3))
                .addProfiler(GCProfiler.class).build()).run()) {
            Result<?> primary = run.getPrimaryResult();
            String name = run.getParams().getBenchmark().replaceFirst(".*\\.", "");
            Result<?> allocated = run.getSecondaryResults().get("gc.alloc.rate.norm");
            if (name.endsWith("CallTime")) {
                System.out.printf("%-40s p50 %.0f ns, p99 %.0f ns, p99.9 %.0f ns%n%-40s goal: p99 <= 1 us%n",
                        "SDK " + name + ", 2 threads", primary.getStatistics().getPercentile(50),
                        primary.getStatistics().getPercentile(99), primary.getStatistics().getPercentile(99.9), "");
            } else {
                System.out.printf("%-40s %,.0f ops/s, %.1f B/op%n%-40s goal: >= 10,000,000 ops/s, no allocation%n",
                        "SDK " + name + "(), 2 threads", primary.getScore(),
                        allocated == null ? Double.NaN : allocated.getScore(), "");
            }
        }
    }
}
