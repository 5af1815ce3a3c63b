package io.meridian.health.check;

import io.meridian.registry.CheckKind;
import io.meridian.registry.CheckTargetRules;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The prober for each kind of check that Meridian probes itself; a new kind is a new {@link Prober}, added here.
 * {@link #close()} releases what probers hold (gRPC channels, the resolving threads).
 */
public final class Probers implements AutoCloseable {

    /** Threads resolving check hosts at once, at most; more wait their turn. */
    private static final int RESOLVING_THREADS = 4;

    private final Map<CheckKind, Prober> byKind = new EnumMap<>(CheckKind.class);
    private final Optional<ExecutorService> resolving;

    private Probers(Optional<ExecutorService> resolving) {
        this.resolving = resolving;
    }

    /** The HTTP, TCP and gRPC probers, reaching any target: for tests of the probes themselves. */
    public static Probers standard() {
        Probers probers = new Probers(Optional.empty());
        probers.byKind.put(CheckKind.HTTP, new HttpProber());
        probers.byKind.put(CheckKind.TCP, new TcpProber());
        probers.byKind.put(CheckKind.GRPC, new GrpcProber());
        return probers;
    }

    /** The HTTP, TCP and gRPC probers, each probing only what the rules allow, as they judge it at each run. */
    public static Probers standard(CheckTargetRules rules) {
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
        return probers;
    }

    /** Probers for the given kinds only: for tests that need a prober of their own. */
    public static Probers of(Map<CheckKind, Prober> probers) {
        Probers chosen = new Probers(Optional.empty());
        chosen.byKind.putAll(probers);
        return chosen;
    }

    /** The prober for a kind, or empty for kinds not probed (TTL) or not supported yet. */
    public Optional<Prober> forKind(CheckKind kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    @Override
    public void close() {
        byKind.values().forEach(Prober::close);
        resolving.ifPresent(ExecutorService::shutdownNow);
    }
}
