package io.meridian.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code clients} threads each run the action back to back until the duration is over, after a
 * warm-up that is not recorded.
 */
final class ClosedLoop {

    /** One call of the action; {@code client} and {@code call} number it, for keys that should differ. */
    interface Action {
        void call(int client, long call) throws Exception;
    }

    record Result(int clients, double perSecond, long errors, Percentiles latency) {
        @Override
        public String toString() {
            return String.format("clients=%d throughput=%.0f/s errors=%d %s", clients, perSecond, errors, latency);
        }
    }

    private ClosedLoop() {
    }

    static Result run(int clients, Duration warmUp, Duration measured, Action action) throws InterruptedException {
        long start = System.nanoTime();
        long recordFrom = start + warmUp.toNanos();
        long end = recordFrom + measured.toNanos();
        List<long[]> perClient = new ArrayList<>();
        int[] counts = new int[clients];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        for (int client = 0; client < clients; client++) {
            long[] samples = new long[2_000_000 / clients];
            perClient.add(samples);
            int id = client;
            Thread thread = new Thread(() -> {
                long call = 0;
                try {
                    while (System.nanoTime() < end) {
                        long before = System.nanoTime();
                        try {
                            action.call(id, call++);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        long after = System.nanoTime();
                        if (before >= recordFrom && after <= end && counts[id] < samples.length) {
                            samples[counts[id]++] = after - before;
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-client-" + client);
            thread.start();
        }
        done.await();
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        long[] all = new long[total];
        int at = 0;
        for (int client = 0; client < clients; client++) {
            System.arraycopy(perClient.get(client), 0, all, at, counts[client]);
            at += counts[client];
        }
        return new Result(clients, total / (measured.toNanos() / 1e9), errors.get(), Percentiles.of(all));
    }
}
