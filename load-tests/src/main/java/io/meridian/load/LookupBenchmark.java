package io.meridian.load;

import io.meridian.client.DiscoveryClient;
import io.meridian.client.InstanceQuery;
import io.meridian.client.balance.SmoothWeightedRoundRobin;
import io.meridian.registry.InstanceEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Lookups of a 10-instance service, three ways in the same JVM and run: {@code healthy()} and {@code choose()} (smooth
 * weighted round-robin) from an SDK client's warm near cache, and {@code GET /v1/health/service/x?passing} over HTTP
 * against a node of the same three-member cluster, with the allocation per call (JMH's GC profiler); the SDK's two
 * also as sampled call times, for their percentiles. Run by
 * {@code load-tests/run.sh jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED"})
public class LookupBenchmark {

    private LocalCluster cluster;
    private DiscoveryClient client;
    private final SmoothWeightedRoundRobin balancer = new SmoothWeightedRoundRobin();

    /** Runs the benchmarks on one thread, then on two. */
    static void runOnOneAndTwoThreads() throws RunnerException {
        for (int threads : new int[] {1, 2}) {
            new Runner(new OptionsBuilder().include(LookupBenchmark.class.getName()).threads(threads)
                    .addProfiler(GCProfiler.class).build()).run();
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        cluster = LocalCluster.start();
        for (int i = 0; i < 10; i++) {
            cluster.send("PUT", "/v1/agent/service/register",
                    "{\"ID\":\"x-" + i + "\",\"Name\":\"x\",\"Port\":" + (9000 + i) + "}");
        }
        client = cluster.discoveryClient();
        if (client.healthy("x", InstanceQuery.ANY).size() != 10) {
            throw new IllegalStateException("the client does not see the 10 instances");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        cluster.close();
    }

    @Benchmark
    public List<InstanceEntry> healthy() {
        return client.healthy("x", InstanceQuery.ANY);
    }

    @Benchmark
    public Optional<InstanceEntry> choose() {
        return client.choose("x", balancer);
    }

    /** {@link #healthy}'s call times, sampled, for their percentiles. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public List<InstanceEntry> healthyCallTime() {
        return healthy();
    }

    /** {@link #choose}'s call times, sampled, for their percentiles. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Optional<InstanceEntry> chooseCallTime() {
        return choose();
    }

    @Benchmark
    public String httpLookup() throws Exception {
        return cluster.send("GET", "/v1/health/service/x?passing", null);
    }
}
