package io.meridian.load;

import io.meridian.client.DiscoveryClient;
import io.meridian.client.InstanceQuery;
import io.meridian.client.Subscription;
import io.meridian.registry.InstanceEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How fresh SDK clients are: a three-member cluster in this JVM takes {@code changes} re-registrations of one instance
 * over HTTP, each with a new {@code seq} meta value, one at a time; for 1, 10 and 100 watching clients it measures the
 * time from the write's acknowledgement (the HTTP response) to (a) each client's watch listener getting the change
 * and (b) a near-cached {@code healthy()} on each client returning it. One thread sweeps all clients' lookups, so (b)
 * includes up to one sweep. A change seen before its acknowledgement arrived counts as 0 there, so the same delays
 * are also given from the moment the write was sent, with the write's own round trip.
 */
final class Freshness {

    private static final String SERVICE = "fresh";

    private Freshness() {
    }

    static void run(int changes) throws Exception {
        try (LocalCluster cluster = LocalCluster.start()) {
            register(cluster, -1);
            for (int clients : new int[] {1, 10, 100}) {
                measure(cluster, clients, changes);
            }
        }
    }

    private static void measure(LocalCluster cluster, int clientCount, int changes) throws Exception {
        List<DiscoveryClient> clients = new ArrayList<>();
        List<Subscription> watches = new ArrayList<>();
        AtomicLongArray heard = new AtomicLongArray(clientCount * changes);
        AtomicLongArray looked = new AtomicLongArray(clientCount * changes);
        for (int c = 0; c < clientCount; c++) {
            DiscoveryClient client = cluster.discoveryClient();
            clients.add(client);
            int slot = c;
            watches.add(client.watch(SERVICE, instances -> seqOf(instances).ifPresent(seq -> {
                if (seq >= 0 && seq < changes) {
                    heard.compareAndSet(slot * changes + seq, 0, System.nanoTime());
                }
            })));
            client.healthy(SERVICE, InstanceQuery.ANY);
        }
        long[] sent = new long[changes];
        long[] acknowledged = new long[changes];
        LookupSweeper sweeper = new LookupSweeper(clients, changes, looked);
        sweeper.start();
        for (int seq = 0; seq < changes; seq++) {
            sweeper.expect(seq);
            sent[seq] = System.nanoTime();
            register(cluster, seq);
            acknowledged[seq] = System.nanoTime();
            awaitAll(heard, looked, clientCount, changes, seq);
            Thread.sleep(5);
        }
        sweeper.interrupt();
        sweeper.join();
        System.out.printf("freshness, %d watching clients, %d changes, from the acknowledgement: listener %s;"
                        + " near-cached lookup %s%n", clientCount, changes,
                Percentiles.of(delays(heard, acknowledged, clientCount, changes)),
                Percentiles.of(delays(looked, acknowledged, clientCount, changes)));
        System.out.printf("freshness, %d watching clients, %d changes, from sending the write: listener %s;"
                        + " near-cached lookup %s; write round trip %s%n", clientCount, changes,
                Percentiles.of(delays(heard, sent, clientCount, changes)),
                Percentiles.of(delays(looked, sent, clientCount, changes)),
                Percentiles.of(roundTrips(sent, acknowledged)));
        watches.forEach(Subscription::close);
        clients.forEach(DiscoveryClient::close);
    }

    private static void register(LocalCluster cluster, int seq) throws Exception {
        cluster.send("PUT", "/v1/agent/service/register", "{\"ID\":\"fresh-1\",\"Name\":\"" + SERVICE
                + "\",\"Port\":8080,\"Meta\":{\"seq\":\"" + seq + "\"}}");
    }

    private static void awaitAll(AtomicLongArray heard, AtomicLongArray looked, int clients, int changes, int seq)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int c = 0; c < clients; c++) {
            while ((heard.get(c * changes + seq) == 0 || looked.get(c * changes + seq) == 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(0, 100_000);
            }
        }
    }

    private static long[] delays(AtomicLongArray seen, long[] acknowledged, int clients, int changes) {
        List<Long> delays = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            for (int seq = 0; seq < changes; seq++) {
                long at = seen.get(c * changes + seq);
                if (at != 0) {
                    delays.add(Math.max(0, at - acknowledged[seq]));
                }
            }
        }
        return delays.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] roundTrips(long[] sent, long[] acknowledged) {
        long[] trips = new long[sent.length];
        for (int i = 0; i < sent.length; i++) {
            trips[i] = acknowledged[i] - sent[i];
        }
        return trips;
    }

    private static java.util.Optional<Integer> seqOf(List<InstanceEntry> instances) {
        return instances.stream().map(entry -> entry.instance().meta().get("seq")).filter(java.util.Objects::nonNull)
                .map(Integer::parseInt).findFirst();
    }

    /** One thread that looks the service up on every client that has not yet returned the expected change. */
    private static final class LookupSweeper extends Thread {
        private final List<DiscoveryClient> clients;
        private final int changes;
        private final AtomicLongArray looked;
        private volatile int expected = -1;

        LookupSweeper(List<DiscoveryClient> clients, int changes, AtomicLongArray looked) {
            super("lookup-sweeper");
            this.clients = clients;
            this.changes = changes;
            this.looked = looked;
        }

        void expect(int seq) {
            expected = seq;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                int seq = expected;
                if (seq < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                for (int c = 0; c < clients.size(); c++) {
                    int slot = c * changes + seq;
                    if (looked.get(slot) == 0
                            && seqOf(clients.get(c).healthy(SERVICE, InstanceQuery.ANY)).orElse(-1) == seq) {
                        looked.compareAndSet(slot, 0, System.nanoTime());
                    }
                }
            }
        }
    }
}
