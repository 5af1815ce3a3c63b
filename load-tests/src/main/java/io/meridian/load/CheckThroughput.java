package io.meridian.load;

import io.meridian.health.check.CheckResult;
import io.meridian.health.check.Prober;
import io.meridian.health.check.GrpcProber;
import io.meridian.health.check.HttpProber;
import io.meridian.health.check.TcpProber;
import io.meridian.health.check.WatchedCheck;
import io.meridian.health.schedule.CheckScheduler;
import io.meridian.node.MeridianNode;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.HttpOptions;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Health checks a three-member cluster sustains, of one kind ({@code http}, {@code tcp} or {@code grpc}), against
 * {@link CheckTargets} in a process of their own. First the targets alone: this process probes them at half the rate
 * the cluster will, with three probers as the three members have and no cluster, for what they cost per 1,000
 * probes/s. (At the full rate this simple generator, which bursts and does not wait for answers, and the targets
 * overrun the two cores and time out; the cluster's own run shows the targets' CPU at the full rate.) Then
 * {@code instances} instances, each with one check every second, spread over the targets:
 * checks completed per second, scheduling lag p50/p99 (how late a run starts against its period), the CPU of the
 * members' process per 1,000 checks/s, and the targets' CPU.
 */
final class CheckThroughput {

    private static final int MEMBERS = 3;
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final Duration TARGETS_ALONE = Duration.ofSeconds(10);
    /** The targets-alone load grows to its rate over this long, so a cold JVM is not flooded at once. */
    private static final Duration RAMP = Duration.ofSeconds(5);

    private CheckThroughput() {
    }

    static void run(String kind, int instances, int seconds) throws Exception {
        try (CheckTargets targets = CheckTargets.start(kind)) {
            System.out.println("targets " + targets.addresses() + (CheckTargets.prioritised() ? ", at nice -10: they"
                    + " stand in for services on machines of their own, so the members' threads must not starve them"
                    : ", at the members' priority (not root): they may be starved, and their timeouts counted as the"
                    + " members'"));
            measureTargetsAlone(kind, targets.addresses(), instances / 2, targets.pid());
            measureCluster(kind, targets.addresses(), instances, seconds, targets.pid());
        }
    }

    private static Check check(String kind, String target) {
        CheckKind checkKind = CheckKind.valueOf(kind.toUpperCase(Locale.ROOT));
        return new Check("bench", "", checkKind, target, checkKind == CheckKind.HTTP ? HttpOptions.DEFAULT : null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), null, null, null, HealthStatus.CRITICAL, "");
    }

    private static void measureTargetsAlone(String kind, List<String> addresses, int perSecond, long targetsPid)
            throws Exception {
        AtomicLong passing = new AtomicLong();
        AtomicLong failing = new AtomicLong();
        int ticksPerSecond = 100;
        List<Prober> probers = IntStream.range(0, MEMBERS).mapToObj(i -> prober(kind)).toList();
        List<WatchedCheck> checks = addresses.stream()
                .map(target -> new WatchedCheck("default", "bench", check(kind, target), 0)).toList();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicLong sent = new AtomicLong();
            AtomicLong ticks = new AtomicLong();
            long rampTicks = RAMP.toMillis() * ticksPerSecond / 1000;
            ticker.scheduleAtFixedRate(() -> {
                long tick = ticks.getAndIncrement();
                long due = perSecond / ticksPerSecond * Math.min(tick + 1, rampTicks) / rampTicks;
                for (int i = 0; i < due; i++) {
                    long n = sent.getAndIncrement();
                    probers.get((int) (n % MEMBERS)).probe(checks.get((int) (n % checks.size())))
                            .thenAccept(result -> count(result, passing, failing));
                }
            }, 0, 1000 / ticksPerSecond, TimeUnit.MILLISECONDS);
            Thread.sleep(RAMP.toMillis());
            long passingBefore = passing.get();
            long failingBefore = failing.get();
            double targetsCpuBefore = ProcessFigures.cpuSeconds(targetsPid);
            long start = System.nanoTime();
            Thread.sleep(TARGETS_ALONE.toMillis());
            double elapsed = (System.nanoTime() - start) / 1e9;
            double answered = (passing.get() - passingBefore) / elapsed;
            long failed = failing.get() - failingBefore;
            double targetsCores = (ProcessFigures.cpuSeconds(targetsPid) - targetsCpuBefore) / elapsed;
            System.out.printf("targets alone (%s, %d ports): %d probes/s offered -> %.0f answered/s passing, %d failed;"
                            + " targets' CPU %.2f cores, %.3f cores per 1,000/s%n", kind, addresses.size(), perSecond,
                    answered, failed, targetsCores, targetsCores / (answered / 1000));
        } finally {
            // the load stops before its probers close, whatever ended the phase; probes in flight get 2 s to finish
            ticker.shutdownNow();
            ticker.awaitTermination(2, TimeUnit.SECONDS);
            Thread.sleep(2_000);
            probers.forEach(Prober::close);
        }
    }

    /** A prober of the kind, as each member has one. */
    private static Prober prober(String kind) {
        return switch (kind) {
            case "http" -> new HttpProber();
            case "tcp" -> new TcpProber();
            default -> new GrpcProber();
        };
    }

    private static void count(CheckResult result, AtomicLong passing, AtomicLong failing) {
        if (result.status() != HealthStatus.PASSING && failing.getAndIncrement() == 0) {
            System.out.println("first failure: " + result.output());
        } else if (result.status() == HealthStatus.PASSING) {
            passing.incrementAndGet();
        }
    }

    private static void measureCluster(String kind, List<String> addresses, int instances, int seconds,
                                       long targetsPid) throws Exception {
        long self = ProcessHandle.current().pid();
        try (LocalCluster cluster = LocalCluster.start()) {
            IntStream.range(0, instances).parallel().forEach(i -> {
                String target = addresses.get(i % addresses.size()) + (kind.equals("http") ? Integer.toString(i) : "");
                String definition = switch (kind) {
                    case "http" -> "\"HTTP\":\"" + target + "\"";
                    case "tcp" -> "\"TCP\":\"" + target + "\"";
                    default -> "\"GRPC\":\"" + target + "\"";
                };
                try {
                    cluster.send("PUT", "/v1/agent/service/register", String.format("{\"ID\":\"hc-%d\",\"Name\":"
                            + "\"checked-%d\",\"Port\":8080,\"Check\":{%s,\"Interval\":\"1s\",\"Timeout\":\"1s\"}}",
                            i, i % 100, definition));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<CheckScheduler> schedulers = cluster.cluster().members().stream().map(MeridianNode::checks).toList();
            Thread.sleep(WARM_UP.toMillis());
            System.out.printf("measuring %d s%n", seconds);
            long runsBefore = runs(schedulers);
            double cpuBefore = ProcessFigures.cpuSeconds(self);
            double targetsCpuBefore = ProcessFigures.cpuSeconds(targetsPid);
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double perSecond = (runs(schedulers) - runsBefore) / elapsed;
            double cores = (ProcessFigures.cpuSeconds(self) - cpuBefore) / elapsed;
            double targetsCores = (ProcessFigures.cpuSeconds(targetsPid) - targetsCpuBefore) / elapsed;
            long[] lags = schedulers.stream().flatMapToLong(s -> Arrays.stream(s.recentLagsMillis()))
                    .map(millis -> millis * 1_000_000).toArray();
            long passing = cluster.send("GET", "/v1/health/state/passing", null).split("\"CheckID\"").length - 1;
            System.out.printf("checks (%s): %d instances at 1/s -> %.0f checks/s completed, %d passing; scheduling lag"
                            + " %s; members' process %.2f cores, %.3f cores per 1,000 checks/s; targets %.2f cores%n",
                    kind, instances, perSecond, passing, Percentiles.of(lags), cores, cores / (perSecond / 1000),
                    targetsCores);
        }
    }

    private static long runs(List<CheckScheduler> schedulers) {
        return schedulers.stream().mapToLong(CheckScheduler::completedRuns).sum();
    }
}
