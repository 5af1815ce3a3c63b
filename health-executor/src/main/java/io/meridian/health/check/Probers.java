package io.meridian.health.check;

import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.CheckTargetRules;
import io.meridian.registry.HealthStatus;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Prober} of each kind of check, looked up by kind: a new kind is a new prober, added here. A kind without
 * a prober, or a probe that cannot even start (a target its prober cannot use), gives a critical result, never an
 * exception: an exception would silently end the check's schedule. {@link #close()} releases what probers hold (gRPC
 * channels, the resolving threads).
 */
public final class Probers implements AutoCloseable {

    /** Threads resolving check hosts at once, at most; more wait their turn. */
    private static final int RESOLVING_THREADS = 4;

    private final Map<CheckKind, Prober> byKind = new EnumMap<>(CheckKind.class);
    private final Optional<ExecutorService> resolving;

    private Probers(Optional<ExecutorService> resolving) {
        this.resolving = resolving;
    }

    /** Every kind, the network probers reaching any target: for tests. */
    public static Probers standard(CheckRecords records, Clock clock) {
        Probers probers = new Probers(Optional.empty());
        probers.byKind.put(CheckKind.HTTP, new HttpProber());
        probers.byKind.put(CheckKind.TCP, new TcpProber());
        probers.byKind.put(CheckKind.GRPC, new GrpcProber());
        return probers.withLocalKinds(records, clock);
    }

    /** Every kind, the network probers probing only what the rules allow, as they judge it at each run. */
    public static Probers standard(CheckTargetRules rules, CheckRecords records, Clock clock) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(RESOLVING_THREADS, RESOLVING_THREADS, 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "meridian-check-resolver");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        Probers probers = new Probers(Optional.of(executor));
        probers.byKind.put(CheckKind.HTTP, new GuardedProber(new HttpProber(), rules, executor));
        probers.byKind.put(CheckKind.TCP, new GuardedProber(new TcpProber(), rules, executor));
        probers.byKind.put(CheckKind.GRPC, new GuardedProber(new GrpcProber(), rules, executor));
        return probers.withLocalKinds(records, clock);
    }

    /** The given probers only: for tests that need a prober of their own. */
    public static Probers of(Map<CheckKind, Prober> probers) {
        Probers chosen = new Probers(Optional.empty());
        chosen.byKind.putAll(probers);
        return chosen;
    }

    private Probers withLocalKinds(CheckRecords records, Clock clock) {
        byKind.put(CheckKind.TTL, new TtlProber(records, clock));
        StaticProber fromTheCheck = new StaticProber();
        for (CheckKind kind : CheckKind.values()) {
            if (kind.isStatic()) {
                byKind.put(kind, fromTheCheck);
            }
        }
        return this;
    }

    /** The prober of a check's kind; for a kind without one, a prober that answers critical, every interval. */
    public Prober forKind(CheckKind kind) {
        Prober prober = byKind.get(kind);
        return prober == null ? Unsupported.PROBER : prober;
    }

    /** Runs the check's probe once: its prober's result, or a critical one if the probe cannot start. */
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        try {
            return forKind(watched.check().kind()).probe(watched);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                    "cannot probe " + watched.check().target() + ": " + e.getMessage()));
        }
    }

    @Override
    public void close() {
        byKind.values().forEach(Prober::close);
        resolving.ifPresent(ExecutorService::shutdownNow);
    }

    /** The prober of kinds Meridian cannot run. */
    private enum Unsupported implements Prober {
        PROBER;

        @Override
        public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
            Check check = watched.check();
            return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                    check.kind() + " checks are not supported"));
        }
    }
}
