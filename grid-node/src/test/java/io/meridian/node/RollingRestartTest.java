package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three {@code meridian node} processes restarted one at a time, as an operator rolls out a new version: each member
 * is stopped (SIGTERM, or SIGKILL as a crash), started again, and the cluster is left to report itself healthy before
 * the next one. Meanwhile a writer registers through running members and a reader looks up through them.
 */
class RollingRestartTest {

    private static final Duration WRITE_GAP_BOUND = Duration.ofSeconds(15);
    private static final Duration HEAL_BOUND = Duration.ofSeconds(90);
    private static final List<String> SETTINGS = List.of(
            "meridian.autopilot-server-stabilization-time=2s",
            "meridian.autopilot-dead-server-threshold=30s",
            "meridian.shutdown-timeout=20s");

    @TempDir
    Path directory;

    @Test
    void threeProcessesFormACpClusterAndSurviveARollingRestartWithSigterm() throws Exception {
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 3, SETTINGS)) {
            withLogsOnFailure(nodes, () -> {
                nodes.startAll();
                nodes.awaitHealthy(0, HEAL_BOUND);
                assertEquals(200, nodes.put(0, "/v1/agent/service/register",
                        "{\"ID\":\"mp-1\",\"Name\":\"multi\",\"Port\":7000}").statusCode());
                assertTrue(nodes.get(2, "/v1/health/service/multi").body().contains("mp-1"));
                assertTrue(nodes.get(1, "/v1/health/service/multi?consistent").body().contains("mp-1"));
                assertEquals(3, nodes.get(1, "/v1/status/peers").body().split(",").length);
                rollingRestart(nodes, false);
            });
        }
    }

    @Test
    void aRollingRestartWithSigkillLosesNoAcknowledgedWrite() throws Exception {
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 3, SETTINGS)) {
            withLogsOnFailure(nodes, () -> {
                nodes.startAll();
                nodes.awaitHealthy(0, HEAL_BOUND);
                rollingRestart(nodes, true);
            });
        }
    }

    private static void rollingRestart(NodeProcesses nodes, boolean kill) throws Exception {
        Set<Integer> running = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < nodes.size(); i++) {
            running.add(i);
        }
        Traffic traffic = new Traffic(nodes, running);
        traffic.start();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                running.remove(i);
                long stoppedAt = System.nanoTime();
                int exit = nodes.stop(i, kill);
                if (!kill) {
                    // 143 is how a JVM reports that it ended on SIGTERM after running its shutdown hooks.
                    assertEquals(143, exit, "node " + i + " exits on SIGTERM");
                    assertTrue(nodes.currentLog(i).contains("Meridian stopped"), "node " + i + " stopped gracefully");
                }
                Duration gap = traffic.awaitAcknowledgementAfter(stoppedAt, WRITE_GAP_BOUND.plusSeconds(60));
                assertTrue(gap.compareTo(WRITE_GAP_BOUND) <= 0, "a write was acknowledged " + gap.toMillis()
                        + " ms after node " + i + " went down");
                nodes.start(i);
                nodes.awaitReady(i);
                running.add(i);
                nodes.awaitHealthy(i, HEAL_BOUND);
            }
        } finally {
            traffic.stop();
        }
        System.out.printf("rolling restart (%s): %d lookups, %d failed; %d writes acknowledged%n",
                kill ? "SIGKILL" : "SIGTERM", traffic.lookups.get(), traffic.failedLookups.size(),
                traffic.acknowledged.size());
        assertEquals(List.of(), traffic.failedLookups, "lookups sent to running members never fail");
        assertTrue(traffic.acknowledged.size() > 10, "the writer kept writing: " + traffic.acknowledged.size());
        String all = nodes.get(0, "/v1/health/service/rolling").body();
        List<String> missing = traffic.acknowledged.stream().filter(id -> !all.contains('"' + id + '"')).toList();
        assertEquals(List.of(), missing, "every acknowledged registration is there");
    }

    /** A writer and a reader, each sending to a running member picked at random. */
    private static final class Traffic {

        private final NodeProcesses nodes;
        private final Set<Integer> running;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<String> acknowledged = new CopyOnWriteArrayList<>();
        private final List<Long> acknowledgedAt = new CopyOnWriteArrayList<>();
        private final List<String> failedLookups = new CopyOnWriteArrayList<>();
        private final AtomicLong lookups = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        Traffic(NodeProcesses nodes, Set<Integer> running) {
            this.nodes = nodes;
            this.running = running;
        }

        void start() {
            threads.add(new Thread(this::write, "rolling-writer"));
            threads.add(new Thread(this::read, "rolling-reader"));
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }

        /** Waits for the first write acknowledged after the moment; returns how long after it that was. */
        Duration awaitAcknowledgementAfter(long moment, Duration bound) throws InterruptedException {
            long deadline = System.nanoTime() + bound.toNanos();
            while (System.nanoTime() < deadline) {
                for (long at : acknowledgedAt) {
                    if (at > moment) {
                        return Duration.ofNanos(at - moment);
                    }
                }
                Thread.sleep(50);
            }
            fail("no write was acknowledged within " + bound + " of a member going down");
            return bound;
        }

        private void write() {
            for (int n = 0; !stopped.get(); n++) {
                String id = "rolling-" + n;
                while (!stopped.get()) {
                    int target = pick();
                    try {
                        HttpResponse<String> response = nodes.put(target, "/v1/agent/service/register",
                                "{\"ID\":\"" + id + "\",\"Name\":\"rolling\",\"Port\":" + (1000 + n % 1000) + "}");
                        if (response.statusCode() == 200) {
                            acknowledged.add(id);
                            acknowledgedAt.add(System.nanoTime());
                            break;
                        }
                    } catch (Exception e) {
                        // not acknowledged: sent again, through whichever member runs now
                    }
                    pause(100);
                }
                pause(50);
            }
        }

        private void read() {
            while (!stopped.get()) {
                int target = pick();
                lookups.incrementAndGet();
                String failure;
                try {
                    HttpResponse<String> response = nodes.get(target, "/v1/health/service/rolling");
                    failure = response.statusCode() == 200 ? null : response.statusCode() + " " + response.body();
                } catch (Exception e) {
                    failure = e.toString();
                }
                // A member stopped while the lookup was on its way was not a running member.
                if (failure != null && running.contains(target)) {
                    failedLookups.add("node " + target + ": " + failure);
                }
                pause(20);
            }
        }

        private int pick() {
            List<Integer> choices = List.copyOf(running);
            return choices.isEmpty() ? 0 : choices.get(ThreadLocalRandom.current().nextInt(choices.size()));
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs the body; if it fails, prints every child's log first. */
    private static void withLogsOnFailure(NodeProcesses nodes, Body body) throws Exception {
        try {
            body.run();
        } catch (Throwable failure) {
            System.out.println(nodes.logs());
            throw failure;
        }
    }
}
