package io.meridian.node;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A writer and a reader against {@link NodeProcesses}, each sending to a node picked at random among those marked up.
 * The writer registers {@code rolling-N} instances of the service {@code rolling} one after another, sending each again
 * (through whichever node is up) until it is acknowledged. The reader looks the service up; a failure counts only if
 * its node was still marked up when the answer came, since a node stopped mid-request was not a running one.
 */
public final class ClusterTraffic {

    /** The service the writer registers into and the reader looks up. */
    public static final String SERVICE = "rolling";

    private final NodeProcesses nodes;
    private final Set<Integer> up = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final List<Long> acknowledgedAt = new CopyOnWriteArrayList<>();
    private final List<String> failedLookups = new CopyOnWriteArrayList<>();
    private final AtomicLong lookups = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    /** Traffic to every node of the cluster, all marked up. */
    public ClusterTraffic(NodeProcesses nodes) {
        this.nodes = nodes;
        for (int i = 0; i < nodes.size(); i++) {
            up.add(i);
        }
    }

    public void start() {
        threads.add(new Thread(this::write, "traffic-writer"));
        threads.add(new Thread(this::read, "traffic-reader"));
        threads.forEach(Thread::start);
    }

    public void stop() throws InterruptedException {
        stopped.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    /** Sends nothing more to node {@code i}, before it is stopped. */
    public void markDown(int i) {
        up.remove(i);
    }

    /** Sends to node {@code i} again, once it is ready. */
    public void markUp(int i) {
        up.add(i);
    }

    /** How long after the {@link System#nanoTime()} moment the first write was acknowledged, if one was. */
    public Optional<Duration> firstAcknowledgementAfter(long moment) {
        return acknowledgedAt.stream().filter(at -> at > moment).min(Long::compare)
                .map(at -> Duration.ofNanos(at - moment));
    }

    /** The longest time between two acknowledged writes. */
    public Duration longestWriteGap() {
        long longest = 0;
        for (int i = 1; i < acknowledgedAt.size(); i++) {
            longest = Math.max(longest, acknowledgedAt.get(i) - acknowledgedAt.get(i - 1));
        }
        return Duration.ofNanos(longest);
    }

    /** The ids of the acknowledged registrations, in order. */
    public List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** What went wrong with lookups sent to nodes that were up. */
    public List<String> failedLookups() {
        return List.copyOf(failedLookups);
    }

    public long lookups() {
        return lookups.get();
    }

    private void write() {
        for (int n = 0; !stopped.get(); n++) {
            String id = SERVICE + "-" + n;
            while (!stopped.get()) {
                try {
                    HttpResponse<String> response = nodes.put(pick(), "/v1/agent/service/register",
                            "{\"ID\":\"" + id + "\",\"Name\":\"" + SERVICE + "\",\"Port\":" + (1000 + n % 1000) + "}");
                    if (response.statusCode() == 200) {
                        acknowledgedAt.add(System.nanoTime());
                        acknowledged.add(id);
                        break;
                    }
                } catch (Exception e) {
                    // not acknowledged: sent again, through whichever node is up now
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
                HttpResponse<String> response = nodes.get(target, "/v1/health/service/" + SERVICE);
                failure = response.statusCode() == 200 ? null : response.statusCode() + " " + response.body();
            } catch (Exception e) {
                failure = e.toString();
            }
            if (failure != null && up.contains(target)) {
                failedLookups.add("node " + target + ": " + failure);
            }
            pause(20);
        }
    }

    private int pick() {
        List<Integer> choices = List.copyOf(up);
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
