package io.meridian.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One run of a {@link Scenario}: a private network with a {@code meridian node} in each namespace, the workload
 * through every member, the fault schedule, then healing, convergence and the verdict on the history. Everything it
 * starts is stopped and removed when it returns or throws; if the run fails, the members' logs go to {@code log}.
 */
public final class FaultRun {

    /** A restarted member's start-up on a busy 2-core machine, cold-start restore included. */
    public static final Duration RESTART_BOUND = Duration.ofSeconds(180);
    /** How long after healing every member must list every acknowledged registration. */
    public static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(30);
    private static final int CLIENTS = 6;
    private static final int SERVICES = 3;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    /** How soon a cut-off member must refuse a write. */
    private static final Duration WRITE_REFUSAL = Duration.ofSeconds(5);
    private static final Duration AFTER_HEAL = Duration.ofSeconds(5);

    private FaultRun() {
    }

    /**
     * The figures of one run.
     *
     * @param scenario            what was done
     * @param seed                the seed of the workload and the victims
     * @param operations          operations recorded
     * @param verdict             the checker's verdict
     * @param writesAgainMillis   per fault, from its start to the first acknowledged write on the majority side; the
     *                            worst; -1 if a fault saw none
     * @param awayReadP99Millis   p99 latency of default reads on cut-off members while cut off, timeouts included; -1
     *                            if none were cut off
     * @param awayWriteMaxMillis  the slowest answer to a write on a cut-off member while cut off; -1 if none
     * @param awaySdkP99Millis    p99 latency of lookups by the SDK client connected only to a cut-off member, while it
     *                            was cut off; -1 if none were cut off
     * @param awaySdkFailures     how many of those lookups failed
     * @param cutOffLeaderView    what a cut-off member said of the leader just before healing, or "-"
     * @param convergeMillis      from healing until every member lists every acknowledged registration and takes
     *                            a write, and the CP group is back at its size; -1 if not within
     *                            {@link #CONVERGENCE_BOUND}
     */
    public record Result(Scenario scenario, long seed, int operations, HistoryChecker.Verdict verdict,
                         long writesAgainMillis, long awayReadP99Millis, long awayWriteMaxMillis,
                         long awaySdkP99Millis, long awaySdkFailures, String cutOffLeaderView,
                         long convergeMillis) {

        public boolean passed() {
            return verdict.passed() && convergeMillis >= 0;
        }
    }

    /** A fault began at {@code start}; {@code away} were cut off, crashed or paused until the next one or healing. */
    private record Window(long start, Set<Integer> away, boolean awayAnswersReads) {
    }

    /** What a scenario drives: the network, the members, its random choices, and the record of its faults. */
    public static final class Context {
        private final NetworkLab lab;
        private final NodeCluster cluster;
        private final Random random;
        private final Duration hold;
        private final List<Window> windows = new ArrayList<>();
        private String cutOffView = "-";

        private Context(NetworkLab lab, NodeCluster cluster, Random random, Duration hold) {
            this.lab = lab;
            this.cluster = cluster;
            this.random = random;
            this.hold = hold;
        }

        /** How long a partition, crash or pause lasts before it is healed. */
        public Duration hold() {
            return hold;
        }

        public NetworkLab lab() {
            return lab;
        }

        public NodeCluster cluster() {
            return cluster;
        }

        public Random random() {
            return random;
        }

        /** The CP leader as a majority of the members report it; waits up to 30 s for one. */
        public int leader() {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < cluster.size(); i++) {
                    Optional<Integer> leader = cluster.leader(i);
                    if (leader.isPresent()) {
                        return leader.get();
                    }
                }
                sleep(Duration.ofMillis(500));
            }
            throw new IllegalStateException("no member knows a CP leader");
        }

        /** Records that a fault is in place from now, taking {@code away} out of the majority. */
        public void faultBegins(Set<Integer> away, boolean awayAnswersReads) {
            windows.add(new Window(System.nanoTime(), away, awayAnswersReads));
        }

        /**
         * Records what member {@code i}, cut off, says of the leader on a read: {@code X-Consul-KnownLeader} and
         * {@code X-Consul-LastContact}.
         */
        public void sampleLeaderView(int i) {
            try {
                HttpResponse<String> read = cluster.get(i, "/v1/health/service/svc-0", Duration.ofSeconds(2));
                cutOffView = "KnownLeader " + read.headers().firstValue("X-Consul-KnownLeader").orElse("?")
                        + ", LastContact " + read.headers().firstValue("X-Consul-LastContact").orElse("?") + " ms";
            } catch (IOException e) {
                cutOffView = "no answer: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public void sleep(Duration duration) {
            NodeCluster.sleep(duration);
        }

        /** Starts a crashed member again on its data directory and waits until it is ready. */
        public void relaunch(int i) throws IOException {
            cluster.launch(i);
            cluster.awaitReady(i, RESTART_BOUND);
        }
    }

    /**
     * Runs {@code scenario} on {@code members} members with {@code seed}, in {@code directory}; each fault lasts
     * {@code hold}, or what the scenario says (a flapping partition, a pause).
     */
    public static Result run(Scenario scenario, long seed, int members, Duration hold, Path directory,
                             PrintStream log) throws Exception {
        try (NetworkLab lab = NetworkLab.create(members);
             NodeCluster cluster = NodeCluster.layOut(lab, directory, List.of())) {
            boolean passed = false;
            try {
                cluster.startAll();
                Result result = runOn(scenario, seed, hold, lab, cluster, directory);
                passed = result.passed();
                return result;
            } finally {
                if (!passed) {
                    log.println("---- members' logs of " + scenario + " seed " + seed + " (history and data in "
                            + directory + ") ----");
                    log.println(cluster.logs());
                }
            }
        }
    }

    private static Result runOn(Scenario scenario, long seed, Duration hold, NetworkLab lab, NodeCluster cluster,
                                Path directory) throws Exception {
        Context context = new Context(lab, cluster, Scenario.randomFor(seed), hold);
        Files.writeString(directory.resolve("scenario.txt"), scenario + " seed " + seed + "\n");
        context.leader();
        Workload workload = Workload.start(cluster, seed, CLIENTS, SERVICES);
        long healedAt;
        try (SdkReaders sdk = SdkReaders.start(cluster, workload.services(), workload.history())) {
            context.sleep(WARM_UP);
            try {
                scenario.run(context);
            } finally {
                lab.heal();
                healedAt = System.nanoTime();
            }
            context.sleep(AFTER_HEAL);
        } finally {
            workload.close();
        }
        History history = workload.history();
        long converged = Convergence.await(cluster, workload.services(), history, healedAt, CONVERGENCE_BOUND);
        Map<Integer, Map<String, Set<String>>> finalState = Convergence.listings(cluster, workload.services());
        List<Op> ops = history.ops();
        Files.write(directory.resolve("history.txt"), ops.stream().map(Op::toString).toList());
        List<Op> awayWrites = awayOps(ops, context.windows, healedAt, Op.Kind::isWrite);
        awayWrites.stream()
                .filter(op -> op.completedAt() == Long.MAX_VALUE || op.latencyNanos() > WRITE_REFUSAL.toNanos())
                .forEach(op -> System.err.println("slow write on a cut-off member: " + op));
        List<Op> awaySdkReads = awayOps(ops, context.windows, healedAt, kind -> kind == Op.Kind.SDK_READ);
        return new Result(scenario, seed, ops.size(), HistoryChecker.check(history, finalState),
                writesAgain(ops, context.windows, cluster.size()),
                p99Millis(awayOps(ops, context.windows, healedAt, kind -> kind == Op.Kind.READ)),
                awayWriteMax(awayWrites), p99Millis(awaySdkReads),
                awaySdkReads.stream().filter(op -> op.outcome() != Op.Outcome.OK).count(), context.cutOffView,
                converged);
    }

    private static long writesAgain(List<Op> ops, List<Window> windows, int members) {
        long worst = 0;
        for (Window window : windows) {
            if (window.away().size() * 2 >= members) {
                continue;
            }
            long first = ops.stream()
                    .filter(op -> op.kind().isWrite() && op.kind() != Op.Kind.CHECK_STATUS
                            && op.outcome() == Op.Outcome.OK && op.invokedAt() >= window.start()
                            && !window.away().contains(op.node()))
                    .mapToLong(Op::completedAt).min().orElse(-1);
            if (first < 0) {
                return -1;
            }
            worst = Math.max(worst, (first - window.start()) / 1_000_000);
        }
        return worst;
    }

    /** The p99 latency of the operations, in milliseconds; -1 if there are none. */
    private static long p99Millis(List<Op> ops) {
        List<Long> latencies = ops.stream().map(op -> op.latencyNanos() / 1_000_000).sorted().toList();
        return latencies.isEmpty() ? -1 : latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
    }

    private static long awayWriteMax(List<Op> awayWrites) {
        return awayWrites.stream()
                .mapToLong(op -> op.completedAt() == Long.MAX_VALUE ? Workload.REQUEST_TIMEOUT.toMillis()
                        : op.latencyNanos() / 1_000_000)
                .max().orElse(-1);
    }

    /**
     * Operations of the given kinds sent to a member while a fault had cut it off and it was still running. A
     * {@code ?consistent} read needs the majority, so it is not asked for with the default reads: it fails there like
     * a write.
     */
    private static List<Op> awayOps(List<Op> ops, List<Window> windows, long healedAt, Predicate<Op.Kind> kinds) {
        List<Op> away = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Window window = windows.get(w);
            long end = w + 1 < windows.size() ? windows.get(w + 1).start() : healedAt;
            if (!window.awayAnswersReads()) {
                continue;
            }
            for (Op op : ops) {
                if (kinds.test(op.kind()) && window.away().contains(op.node())
                        && op.invokedAt() >= window.start() && op.invokedAt() < end) {
                    away.add(op);
                }
            }
        }
        return away;
    }

    /** Polls members' listings until they hold what the history says they must. */
    static final class Convergence {

        private Convergence() {
        }

        /**
         * Milliseconds from {@code healedAt} until every member lists every registration it must, every member
         * acknowledges a write, and autopilot reports the CP group back at its size with healthy voters; -1 if not
         * within the bound. If not, prints what was still missing at the bound, and when (within as long again) the
         * members did converge, for the log of the failed run.
         */
        static long await(NodeCluster cluster, List<String> services, History history, long healedAt,
                          Duration bound) {
            long deadline = healedAt + bound.toNanos();
            Set<Integer> wrote = new HashSet<>();
            String shortfall = shortfall(cluster, services, history, wrote);
            while (!shortfall.isEmpty() && System.nanoTime() < deadline) {
                NodeCluster.sleep(Duration.ofMillis(250));
                shortfall = shortfall(cluster, services, history, wrote);
            }
            long elapsedMillis = (System.nanoTime() - healedAt) / 1_000_000;
            if (shortfall.isEmpty() && elapsedMillis <= bound.toMillis()) {
                return elapsedMillis;
            }
            if (shortfall.isEmpty()) {
                // One round of asking the members outlasted the bound (their answers were that slow): not in time.
                System.err.println("converged " + elapsedMillis + " ms after healing, past the bound");
                return -1;
            }
            System.err.println("not converged within " + bound.toSeconds() + " s of healing:" + shortfall);
            long lateDeadline = deadline + bound.toNanos();
            while (!shortfall.isEmpty() && System.nanoTime() < lateDeadline) {
                NodeCluster.sleep(Duration.ofMillis(250));
                shortfall = shortfall(cluster, services, history, wrote);
            }
            System.err.println(shortfall.isEmpty()
                    ? "converged " + (System.nanoTime() - healedAt) / 1_000_000 + " ms after healing, past the bound"
                    : "still not converged " + 2 * bound.toSeconds() + " s after healing:" + shortfall);
            return -1;
        }

        /**
         * What keeps the members from having converged now, one line per condition that fails; empty once they have.
         * Members that acknowledged a write are added to {@code wrote} and not asked again.
         */
        private static String shortfall(NodeCluster cluster, List<String> services, History history,
                                        Set<Integer> wrote) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < cluster.size(); i++) {
                if (!wrote.contains(i)) {
                    String answer = probeWrite(cluster, i);
                    if (answer.startsWith("200")) {
                        wrote.add(i);
                    } else {
                        text.append("\n  member ").append(i).append(": a write answered ").append(answer);
                    }
                }
            }
            String health = answer(() -> cluster.get(0, "/v1/operator/autopilot/health", Duration.ofSeconds(5)));
            if (!health.startsWith("200")) {
                text.append("\n  autopilot health on member 0: ").append(health);
            }
            listings(cluster, services).forEach((member, byService) -> {
                List<String> lacking = HistoryChecker.lostWrites(history.ops(), Map.of(member, byService));
                if (!lacking.isEmpty()) {
                    text.append("\n  member ").append(member).append(" lacks ").append(lacking);
                }
            });
            return text.toString();
        }

        /** Registers a probe instance (outside the workload's services) through member {@code i}: the answer. */
        private static String probeWrite(NodeCluster cluster, int i) {
            return answer(() -> cluster.put(i, "/v1/agent/service/register",
                    "{\"ID\":\"probe-" + i + "\",\"Name\":\"fault-probe\",\"Port\":1}", Duration.ofSeconds(5)));
        }

        private interface Call {
            HttpResponse<String> send() throws IOException, InterruptedException;
        }

        /** The status and the start of the body, or what went wrong. */
        private static String answer(Call call) {
            try {
                HttpResponse<String> response = call.send();
                String body = response.body();
                return response.statusCode() + " " + body.substring(0, Math.min(2000, body.length()));
            } catch (IOException e) {
                return "no answer: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        /** Per member, per service, the instance ids it lists; a member that does not answer lists nothing. */
        static Map<Integer, Map<String, Set<String>>> listings(NodeCluster cluster, List<String> services) {
            Map<Integer, Map<String, Set<String>>> listings = new HashMap<>();
            for (int i = 0; i < cluster.size(); i++) {
                Map<String, Set<String>> byService = new HashMap<>();
                for (String service : services) {
                    byService.put(service, listed(cluster, i, service));
                }
                listings.put(i, byService);
            }
            return listings;
        }

        private static Set<String> listed(NodeCluster cluster, int i, String service) {
            try {
                HttpResponse<String> response = cluster.get(i, "/v1/health/service/" + service,
                        Duration.ofSeconds(5));
                return response.statusCode() == 200 ? Workload.idsIn(response.body()) : Set.of();
            } catch (IOException e) {
                return new HashSet<>();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Set.of();
            }
        }
    }
}
