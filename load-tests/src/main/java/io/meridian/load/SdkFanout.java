package io.meridian.load;

import io.meridian.client.DiscoveryClient;
import io.meridian.client.InstanceQuery;
import io.meridian.client.Subscription;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What SDK clients that do not use the written services cost each write: a three-member cluster in this JVM takes
 * {@code writes} re-registrations over HTTP (8 writers, spread over 100 services), first with no SDK client, then with
 * {@code clients} SDK clients that each looked up and watch a service of their own, which no write touches. For each
 * phase it prints the loopback bytes sent per write ({@code /proc/net/dev}, the idle rate of the 3 s before the phase
 * subtracted) and the write rate; the difference between the phases, per client, is what a bystander costs a write.
 * It also prints how many threads the clients started.
 */
final class SdkFanout {

    private static final int WRITERS = 8;
    private static final int WRITTEN_SERVICES = 100;
    private static final long IDLE_MILLIS = 3_000;

    private SdkFanout() {
    }

    static void run(int clients, int writes) throws Exception {
        try (LocalCluster cluster = LocalCluster.start()) {
            for (int c = 0; c < clients; c++) {
                register(cluster, "bystander-" + c, "held-" + c, 0);
            }
            measure(cluster, "warm-up, no SDK client", writes);
            Phase alone = measure(cluster, "no SDK client", writes);
            List<DiscoveryClient> bystanders = new ArrayList<>();
            List<Subscription> watches = new ArrayList<>();
            long pid = ProcessHandle.current().pid();
            long threadsBefore = ProcessFigures.threads(pid);
            try {
                for (int c = 0; c < clients; c++) {
                    DiscoveryClient client = cluster.discoveryClient();
                    bystanders.add(client);
                    client.healthy("held-" + c, InstanceQuery.ANY);
                    watches.add(client.watch("held-" + c, instances -> { }));
                }
                long started = ProcessFigures.threads(pid) - threadsBefore;
                System.out.printf("sdk-fanout: %d SDK clients started %d threads, %.1f each%n", clients, started,
                        started / (double) Math.max(1, clients));
                Phase with = measure(cluster, clients + " SDK clients, each holding a service no write touches",
                        writes);
                System.out.printf("sdk-fanout: each bystanding SDK client adds %.0f loopback bytes per write%n",
                        (with.bytesPerWrite() - alone.bytesPerWrite()) / Math.max(1, clients));
            } finally {
                watches.forEach(Subscription::close);
                bystanders.forEach(DiscoveryClient::close);
            }
        }
    }

    private record Phase(double bytesPerWrite, double perSecond) {
    }

    private static Phase measure(LocalCluster cluster, String label, int writes) throws Exception {
        long idleFrom = loopbackBytes();
        long idleStart = System.nanoTime();
        Thread.sleep(IDLE_MILLIS);
        double idlePerNano = (double) (loopbackBytes() - idleFrom) / (System.nanoTime() - idleStart);
        AtomicLong next = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(WRITERS);
        long bytesBefore = loopbackBytes();
        long start = System.nanoTime();
        for (int w = 0; w < WRITERS; w++) {
            Thread writer = new Thread(() -> {
                try {
                    for (long k = next.getAndIncrement(); k < writes; k = next.getAndIncrement()) {
                        try {
                            register(cluster, "fan-" + (k % 1_000), "fan-" + (k % WRITTEN_SERVICES), k);
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "fanout-writer-" + w);
            writer.start();
        }
        done.await();
        long elapsed = System.nanoTime() - start;
        double bytes = loopbackBytes() - bytesBefore - idlePerNano * elapsed;
        Phase phase = new Phase(bytes / writes, writes / (elapsed / 1e9));
        System.out.printf("sdk-fanout, %s: %d writes (%d failed), %.0f/s, %.0f loopback bytes per write%n", label,
                writes, failed.get(), phase.perSecond(), phase.bytesPerWrite());
        return phase;
    }

    private static void register(LocalCluster cluster, String id, String service, long seq) throws Exception {
        cluster.send("PUT", "/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"" + service
                + "\",\"Port\":8080,\"Meta\":{\"seq\":\"" + seq + "\"}}");
    }

    /** Bytes sent on the loopback interface since boot. */
    private static long loopbackBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
            String trimmed = line.trim();
            if (trimmed.startsWith("lo:")) {
                return Long.parseLong(trimmed.substring(3).trim().split("\\s+")[8]);
            }
        }
        throw new IllegalStateException("no loopback interface in /proc/net/dev");
    }
}
