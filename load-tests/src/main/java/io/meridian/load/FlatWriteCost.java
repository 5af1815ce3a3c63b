package io.meridian.load;

import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;
import io.meridian.registry.grid.HazelcastRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether the cost of a write grows with the registry: single-client register latency through the Registry API on a
 * member with 100 instances, then with 100,000 instances in 5,000 services; and into a 5,000-instance service against
 * into a 1-instance service. Each instance carries about 500 bytes of metadata.
 */
final class FlatWriteCost {

    private static final int SAMPLES = 2_000;

    private FlatWriteCost() {
    }

    static void run() throws Exception {
        try (LocalCluster cluster = LocalCluster.start()) {
            HazelcastRegistry registry = cluster.cluster().httpNode().registry();
            load(registry, 0, 100, 5);
            Percentiles small = measure(registry, 100, 5);
            System.out.println("register with 100 instances in 5 services:        " + small);

            long start = System.nanoTime();
            load(registry, 100, 100_000, 5_000);
            System.out.printf("loaded 100,000 instances in %.0f s%n", (System.nanoTime() - start) / 1e9);
            Percentiles large = measure(registry, 100_000, 5_000);
            System.out.println("register with 100,000 instances in 5,000 services: " + large);
            System.out.printf("ratio large/small p50 = %.2f, p99 = %.2f%n", large.p50() / small.p50(),
                    large.p99() / small.p99());

            for (int i = 0; i < 5_000; i++) {
                registry.register(instance("big-service", "big-" + i));
            }
            registry.register(instance("tiny-service", "tiny-0"));
            Percentiles big = sample(() -> registry.register(
                    instance("big-service", "big-" + ThreadLocalRandom.current().nextInt(5_000))));
            Percentiles tiny = sample(() -> registry.register(instance("tiny-service", "tiny-0")));
            System.out.println("register into a 5,000-instance service:            " + big);
            System.out.println("register into a 1-instance service:                " + tiny);
            System.out.printf("ratio big/tiny p50 = %.2f, p99 = %.2f%n", big.p50() / tiny.p50(),
                    big.p99() / tiny.p99());
        }
    }

    /** Registers instances {@code from} to {@code to}, spread over {@code services} services, 32 at a time. */
    static void load(HazelcastRegistry registry, int from, int to, int services) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> done = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int id = i;
            done.add(pool.submit(() -> registry.register(instance("svc-" + (id % services), "inst-" + id))));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
    }

    private static Percentiles measure(HazelcastRegistry registry, int instances, int services) {
        return sample(() -> {
            int id = ThreadLocalRandom.current().nextInt(instances);
            registry.register(instance("svc-" + (id % services), "inst-" + id));
        });
    }

    private static Percentiles sample(Runnable write) {
        for (int i = 0; i < 200; i++) {
            write.run();
        }
        long[] nanos = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long before = System.nanoTime();
            write.run();
            nanos[i] = System.nanoTime() - before;
        }
        return Percentiles.of(nanos);
    }

    static ServiceInstance instance(String service, String id) {
        Map<String, String> meta = Map.of(
                "version", "2.31.4-build.1187",
                "region", "eu-west-1",
                "zone", "eu-west-1b",
                "weight", "100",
                "canary", "false",
                "owner", "team-payments@example.com",
                "git-sha", "9f1c2e4b7a0d3c5e8f6a1b2c3d4e5f6a7b8c9d0e",
                "started-at", "2026-11-24T06:00:00Z");
        return new ServiceInstance(ServiceInstance.DEFAULT_NAMESPACE, service, id, "10.12.34.56", 8080,
                List.of("v2", "http", "eu-west-1b"), meta, Weights.DEFAULT, false, List.of(), "");
    }
}
