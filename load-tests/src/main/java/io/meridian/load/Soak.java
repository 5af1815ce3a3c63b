package io.meridian.load;

import com.sun.net.httpserver.HttpServer;
import io.meridian.node.NodeProcesses;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code Bench soak MINUTES}: three {@code meridian node} processes under steady load for MINUTES, sampling each
 * member every 30 s after a full GC: heap used, threads and open file descriptors. The load: writers paced at 1,000
 * registrations and deregistrations a second in all, over a fixed pool of 2,000 ids in 200 services (so the registry's
 * size stays level); lookups paced at 200 a second; a blocking query on each service, re-armed as it answers; and 200
 * instances with HTTP checks every 10 s against a local server. It prints one row per sample with the rates reached
 * and, per member and figure, the growth from the first third of the run to the last: flat means within a few
 * percent.
 */
final class Soak {

    private static final int TARGET_WRITES_PER_SECOND = 1_000;
    /** Enough that the target holds while a write takes up to 100 ms on the saturated machine. */
    private static final int WRITERS = 100;
    private static final int IDS = 2_000;
    private static final int SERVICES = 200;
    private static final int WATCHERS = 200;
    private static final int READERS = 4;
    private static final int LOOKUPS_PER_SECOND = 200;
    private static final int CHECKED = 200;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(30);
    private static final String PROBE = "{\"ID\":\"soak-probe\",\"Name\":\"soak-probe\",\"Port\":1}";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration WATCH_RETRY = Duration.ofSeconds(1);

    private final NodeProcesses nodes;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();

    private Soak(NodeProcesses nodes) {
        this.nodes = nodes;
    }

    static void run(Duration length) throws Exception {
        // Every writer, reader and watcher keeps its connection (the JDK keeps 5 per server unless told).
        System.setProperty("http.maxConnections", Integer.toString(WRITERS + READERS + WATCHERS));
        Path directory = Files.createTempDirectory("meridian-soak-");
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        target.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        target.start();
        // The checks' target runs on loopback, which a node refuses as a check target unless told otherwise.
        List<String> loopbackTargets = List.of("meridian.check-denied-networks=169.254.0.0/16,fe80::/10");
        try (NodeProcesses nodes = NodeProcesses.layOutForBenchmarks(directory, 3, loopbackTargets).startAll()) {
            new Soak(nodes).drive(length, target.getAddress().getPort());
        } finally {
            target.stop(0);
        }
    }

    private void drive(Duration length, int checkPort) throws Exception {
        awaitWritesOpen();
        for (int i = 0; i < CHECKED; i++) {
            put(i, "/v1/agent/service/register", "{\"ID\":\"checked-" + i + "\",\"Name\":\"checked\","
                    + "\"Port\":" + checkPort + ",\"Check\":{\"HTTP\":\"http://127.0.0.1:" + checkPort
                    + "/health\",\"Interval\":\"10s\"}}");
        }
        ExecutorService load = Executors.newCachedThreadPool();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            load.execute(() -> write(writer));
        }
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            load.execute(() -> lookUp(reader));
        }
        for (int w = 0; w < WATCHERS; w++) {
            int watcher = w;
            load.execute(() -> watch(watcher));
        }
        List<long[]> samples = new ArrayList<>();
        System.out.println("| minute | member | heap after GC (MB) | threads | open files | writes/s | lookups/s |");
        System.out.println("|---|---|---|---|---|---|---|");
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long lastWrites = 0;
        long lastLookups = 0;
        long lastSample = start;
        while (System.nanoTime() < end) {
            Thread.sleep(SAMPLE_EVERY.toMillis());
            long nowWrites = writes.get();
            long nowLookups = lookups.get();
            long now = System.nanoTime();
            double sinceLast = (now - lastSample) / 1e9;
            double minute = (now - start) / 60e9;
            for (int i = 0; i < nodes.size(); i++) {
                long pid = nodes.process(i).pid();
                long[] sample = {i, ProcessFigures.heapAfterGcMegabytes(pid), ProcessFigures.threads(pid),
                        ProcessFigures.openFiles(pid)};
                samples.add(sample);
                System.out.printf("| %.1f | %d | %d | %d | %d | %.0f | %.0f |%n", minute, i, sample[1], sample[2],
                        sample[3], (nowWrites - lastWrites) / sinceLast, (nowLookups - lastLookups) / sinceLast);
            }
            lastWrites = nowWrites;
            lastLookups = nowLookups;
            lastSample = now;
        }
        running.set(false);
        load.shutdownNow();
        load.awaitTermination(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("writes: %.0f/s acknowledged (target %d/s), %d failed; lookups: %.0f/s%n",
                writes.get() / seconds, TARGET_WRITES_PER_SECOND, failedWrites.get(), lookups.get() / seconds);
        printGrowth(samples);
    }

    /** Waits until every node acknowledges a write: the start-up merge is over and the load measures steady state. */
    private void awaitWritesOpen() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (int i = 0; i < nodes.size(); i++) {
            while (!put(i, "/v1/agent/service/register", PROBE)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + i + " took no write within 3 minutes");
                }
                Thread.sleep(500);
            }
        }
    }

    /** Per member and figure: the median of the run's last third against its first third. */
    private void printGrowth(List<long[]> samples) {
        String[] figures = {"", "heap after GC", "threads", "open files"};
        for (int member = 0; member < nodes.size(); member++) {
            int m = member;
            List<long[]> mine = samples.stream().filter(sample -> sample[0] == m).toList();
            if (mine.size() < 3) {
                System.out.println("member " + member + ": too few samples to judge growth; run longer");
                continue;
            }
            int third = mine.size() / 3;
            for (int f = 1; f < figures.length; f++) {
                int figure = f;
                long first = median(mine.subList(0, third), figure);
                long last = median(mine.subList(mine.size() - third, mine.size()), figure);
                System.out.printf("member %d %s: %d -> %d (%+.0f%%)%n", member, figures[f], first, last,
                        first == 0 ? 0.0 : 100.0 * (last - first) / first);
            }
        }
    }

    private static long median(List<long[]> samples, int figure) {
        long[] values = samples.stream().mapToLong(sample -> sample[figure]).sorted().toArray();
        return values[values.length / 2];
    }

    /** Writer {@code w}: registers and deregisters its own ids in turn, at its share of the target rate. */
    private void write(int w) {
        Pacer pacer = new Pacer(TARGET_WRITES_PER_SECOND / WRITERS);
        for (int round = 0; running.get() && pacer.await(); round++) {
            int id = w + WRITERS * (round / 2 % (IDS / WRITERS));
            boolean register = round % 2 == 0;
            String path = register ? "/v1/agent/service/register" : "/v1/agent/service/deregister/soak-" + id;
            String body = register ? "{\"ID\":\"soak-" + id + "\",\"Name\":\"soak-" + id % SERVICES + "\",\"Port\":1}"
                    : "";
            if (put(round, path, body)) {
                writes.incrementAndGet();
            } else {
                failedWrites.incrementAndGet();
            }
        }
    }

    /** Reader {@code r}: lookups of one service after another, at its share of the lookup rate. */
    private void lookUp(int reader) {
        Pacer pacer = new Pacer(LOOKUPS_PER_SECOND / READERS);
        for (int round = 0; running.get() && pacer.await(); round++) {
            call(reader + round, "GET", "/v1/health/service/soak-" + round % SERVICES + "?passing", null,
                    READ_TIMEOUT);
            lookups.incrementAndGet();
        }
    }

    /**
     * Spaces calls evenly at a rate. A caller that falls behind goes on at once until it has caught up, with at most
     * a second's slots: older ones are dropped, so that a slow start (the JIT's first minutes) does not leave the rest
     * of the run going flat out to make them up.
     */
    private static final class Pacer {
        private static final long MAX_BEHIND_NANOS = 1_000_000_000L;
        private final long intervalNanos;
        private long next = System.nanoTime();

        Pacer(int perSecond) {
            this.intervalNanos = 1_000_000_000L / perSecond;
        }

        /** Waits for the next slot; false if interrupted. */
        boolean await() {
            long now = System.nanoTime();
            next = Math.max(next + intervalNanos, now - MAX_BEHIND_NANOS);
            return pause(Duration.ofNanos(next - now));
        }
    }

    /**
     * Watcher {@code w}: a blocking query on one service, re-armed at the index of each answer. A query that fails is
     * asked again at the same index a second later, as Consul's clients back off, not at once against a node that
     * refuses.
     */
    private void watch(int w) {
        long index = 1;
        while (running.get()) {
            Answer answer = call(w, "GET", "/v1/health/service/soak-" + w % SERVICES + "?index=" + index
                    + "&wait=30s", null, READ_TIMEOUT);
            if (answer.status() == 200) {
                index = answer.index();
            } else if (!pause(WATCH_RETRY)) {
                return;
            }
        }
    }

    /** Sleeps for {@code duration} (not at all if it is not positive); false if interrupted. */
    private static boolean pause(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private boolean put(int node, String path, String body) {
        return call(node, "PUT", path, body, WRITE_TIMEOUT).status() / 100 == 2;
    }

    /**
     * One request to node {@code node} modulo the cluster's size, on a kept connection of the JDK's blocking client,
     * which costs the machine less per request than {@code java.net.http.HttpClient}; the answer is read to its end so
     * that the connection can be used again.
     */
    private Answer call(int node, String method, String path, String body, Duration timeout) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:"
                    + nodes.httpPort(node % nodes.size()) + path).toURL().openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setRequestMethod(method);
            if (body != null) {
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            try (InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (answer != null) {
                    answer.transferTo(OutputStream.nullOutputStream());
                }
            }
            return new Answer(status, connection.getHeaderFieldLong("X-Consul-Index", 1));
        } catch (IOException e) {
            return Answer.NONE;
        }
    }

    /** A request's status, and the index it answered at (1 if it said none); {@link #NONE} if it failed. */
    private record Answer(int status, long index) {
        static final Answer NONE = new Answer(-1, 1);
    }
}
