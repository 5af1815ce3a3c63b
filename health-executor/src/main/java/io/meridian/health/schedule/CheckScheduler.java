package io.meridian.health.schedule;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.meridian.health.check.CheckResult;
import io.meridian.health.check.Damper;
import io.meridian.health.check.Prober;
import io.meridian.health.check.Probers;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.CheckOutcome;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.RegistryException;
import io.meridian.registry.grid.HazelcastRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs, on one member, the checks of the instances whose projection entries that member owns. Every
 * {@code rescanEvery} it compares the owned checks with the running ones: new checks start after a random part of
 * their interval (jitter), vanished ones stop, so checks follow partitions when members join, leave or die. A run's
 * result goes through the check's {@link Damper}; only a change of status is written through the registry (Raft);
 * the output and time of a run go to an AP map when they change, and at least every 30 seconds. A check critical for
 * its {@code DeregisterCriticalServiceAfter} has its instance deregistered. While many checks fail at once, the
 * {@link SafetyValve} asks another member to confirm a failure before it is written. Thread-safe; {@link #close()}
 * stops every check.
 */
public final class CheckScheduler implements AutoCloseable {

    public static final double DEFAULT_VALVE_SHARE = 0.5;
    private static final int LAG_SAMPLES = 1 << 16;
    /** A run whose status and output are unchanged refreshes the stored outcome only this often. */
    private static final Duration OUTCOME_REFRESH = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HOLD_AT_MOST = Duration.ofMinutes(2);

    /** The key under which a member's scheduler is found in its user context, by tasks sent to it. */
    private static final String USER_CONTEXT_KEY = "meridian.check-scheduler";
    /** Threads storing outcomes and committing status changes. */
    private static final int RECORDING_THREADS = 4;

    private static final Logger LOG = Logger.getLogger(CheckScheduler.class.getName());

    private final HazelcastRegistry registry;
    private final Probers probers;
    private final TtlLeases leases;
    private final Clock clock;
    private final String memberName;
    private final CheckRecords outcomes;
    private final ScheduledExecutorService executor;
    /** Stores runs; a check has at most one run being stored, so its queue holds at most one task per check. */
    private final ExecutorService recorder;
    private final Map<String, RunningCheck> running = new ConcurrentHashMap<>();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicLongArray lags = new AtomicLongArray(LAG_SAMPLES);
    private final AtomicLong lagCount = new AtomicLong();
    private final HazelcastInstance member;
    private final SafetyValve valve;
    private final Duration holdAtMost;
    private final IExecutorService confirmations;

    /** The scheduler running on a member, for tasks sent to it; empty if it runs none. */
    static Optional<CheckScheduler> on(HazelcastInstance member) {
        return member.getUserContext().get(USER_CONTEXT_KEY) instanceof CheckScheduler scheduler
                ? Optional.of(scheduler) : Optional.empty();
    }

    /** A scheduler with the default safety valve: a 50% share, and failures held for at most two minutes. */
    public CheckScheduler(HazelcastRegistry registry, HazelcastInstance member, Probers probers, Clock clock) {
        this(registry, member, probers, clock, DEFAULT_VALVE_SHARE, DEFAULT_HOLD_AT_MOST);
    }

    /**
     * A scheduler whose safety valve opens when more than {@code valveShare} of its checks, or of one service's,
     * fail, and holds an unconfirmed failure for at most {@code holdAtMost}.
     */
    public CheckScheduler(HazelcastRegistry registry, HazelcastInstance member, Probers probers, Clock clock,
                          double valveShare, Duration holdAtMost) {
        this.member = member;
        this.valve = new SafetyValve(valveShare);
        this.holdAtMost = holdAtMost;
        this.confirmations = member.getExecutorService(DistributedFailureReports.EXECUTOR);
        this.registry = registry;
        this.probers = probers;
        this.leases = new TtlLeases(registry.checkRecords());
        this.clock = clock;
        this.memberName = member.getCluster().getLocalMember().getAddress().toString();
        this.outcomes = registry.checkRecords();
        this.executor = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "meridian-checks");
            thread.setDaemon(true);
            return thread;
        });
        this.recorder = Executors.newFixedThreadPool(RECORDING_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "meridian-check-records");
            thread.setDaemon(true);
            return thread;
        });
        member.getUserContext().put(USER_CONTEXT_KEY, this);
    }

    /** Starts following ownership, rescanning every {@code rescanEvery}. */
    public CheckScheduler start(Duration rescanEvery) {
        executor.scheduleWithFixedDelay(this::rescan, 0, rescanEvery.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The keys ({@code namespace/instanceId/checkId}) of the checks this member runs now. */
    public Set<String> runningChecks() {
        return Set.copyOf(running.keySet());
    }

    /** How many check runs this member has completed. */
    public long completedRuns() {
        return runs.get();
    }

    /** How many failures the safety valve has held back because another member did not confirm them. */
    public long heldFailures() {
        return held.get();
    }

    /** Whether more than the valve's share of this member's checks fail: the checker, not the services, is suspect. */
    public boolean isValveOpen() {
        return valve.isOpenForMember();
    }

    /**
     * The scheduling lag of the latest runs (at most 65,536), in milliseconds: how late each run started against
     * the time its interval set for it.
     */
    public long[] recentLagsMillis() {
        int count = (int) Math.min(lagCount.get(), LAG_SAMPLES);
        long[] copy = new long[count];
        for (int i = 0; i < count; i++) {
            copy[i] = lags.get(i);
        }
        return copy;
    }

    /** Runs a probe once, from this member, for another member's second opinion. */
    CompletableFuture<CheckResult> probeOnce(Check check) {
        return probers.forKind(check.kind()).map(prober -> probeSafely(prober, check))
                .orElseGet(() -> CompletableFuture.completedFuture(null));
    }

    /**
     * Runs the probes of an instance's checks now, for a passive failure report: a failing probe makes its check
     * critical at once, without damping.
     *
     * @return the instance's health afterwards, or empty if this member does not check the instance
     */
    CompletableFuture<Optional<HealthStatus>> checkNow(String namespace, String instanceId) {
        List<RunningCheck> checks = running.values().stream()
                .filter(check -> check.namespace.equals(namespace) && check.instanceId.equals(instanceId))
                .toList();
        if (checks.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        List<CompletableFuture<HealthStatus>> statuses = checks.stream().map(check -> probe(check)
                .thenApplyAsync(result -> {
                    HealthStatus next = result.status() == HealthStatus.PASSING ? check.status : result.status();
                    store(check, next, result);
                    return next;
                }, recorder)).toList();
        return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new)).thenApply(done -> Optional.of(
                statuses.stream().map(CompletableFuture::join).reduce(HealthStatus.PASSING, HealthStatus::worst)));
    }

    void rescan() {
        try {
            Set<String> owned = new HashSet<>();
            for (InstanceEntry entry : registry.localInstancesWithChecks()) {
                for (Check check : entry.instance().checks()) {
                    String key = entry.instance().namespace() + '/' + entry.instance().id() + '/' + check.id();
                    owned.add(key);
                    RunningCheck current = running.get(key);
                    if (current == null || !current.sameDefinition(check)) {
                        if (current != null) {
                            current.stop();
                        }
                        running.put(key, start(entry, check));
                    } else {
                        current.observe(check.status());
                    }
                }
            }
            running.entrySet().removeIf(entry -> {
                if (!owned.contains(entry.getKey())) {
                    entry.getValue().stop();
                    valve.forget(entry.getKey());
                    return true;
                }
                return false;
            });
        } catch (HazelcastException | RegistryException e) {
            LOG.log(Level.WARNING, "could not read the owned instances; the next rescan tries again", e);
        }
    }

    private RunningCheck start(InstanceEntry entry, Check check) {
        RunningCheck started = new RunningCheck(entry.instance().namespace(), entry.instance().service(),
                entry.instance().id(), check, clock.millis());
        Duration every = period(check);
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, every.toMillis()));
        started.nextDueMillis = clock.millis() + jitter;
        started.period = every.toMillis();
        started.future = executor.scheduleAtFixedRate(() -> run(started), jitter, every.toMillis(),
                TimeUnit.MILLISECONDS);
        return started;
    }

    /**
     * Probes run at their interval; TTL leases are looked at often enough to expire within a second or so; static
     * checks (maintenance, draining) every second, to time their deregistration.
     */
    private static Duration period(Check check) {
        if (check.kind().isStatic()) {
            return Duration.ofSeconds(1);
        }
        if (check.kind() == CheckKind.TTL) {
            Duration tenth = check.ttl().dividedBy(10);
            return tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : tenth;
        }
        return check.interval();
    }

    private void run(RunningCheck check) {
        long due = check.nextDueMillis;
        check.nextDueMillis = due + check.period;
        lags.set((int) (lagCount.getAndIncrement() % LAG_SAMPLES), Math.max(0, clock.millis() - due));
        if (!check.claim()) {
            return;
        }
        probe(check).thenComposeAsync(found -> judge(check, found), executor)
                .whenComplete((done, error) -> check.release());
    }

    /**
     * Damps a result and stores it; a probe's turn for the worse while the safety valve is open for its service is
     * stored only once another member confirms it (or there is no other member to ask), or once it has been held for
     * {@code holdAtMost}.
     */
    private CompletableFuture<Void> judge(RunningCheck check, CheckResult found) {
        boolean failing = found.status() != HealthStatus.PASSING;
        valve.record(check.key(), check.serviceKey, failing);
        HealthStatus next = check.damper.next(check.status, found.status());
        boolean worse = next.compareTo(check.status) > 0;
        if (!worse || !check.definition.kind().isProbe() || !valve.isOpen(check.serviceKey)) {
            check.heldSince = 0;
            return record(check, next, found);
        }
        long now = clock.millis();
        check.heldSince = check.heldSince == 0 ? now : check.heldSince;
        if (now - check.heldSince >= holdAtMost.toMillis()) {
            LOG.warning("safety valve: " + check.definition.id() + " has failed for " + (now - check.heldSince)
                    + " ms without confirmation; reporting it");
            return record(check, next, found);
        }
        return secondOpinion(check.definition).thenAcceptAsync(opinion -> {
            if (opinion == null && member.getCluster().getMembers().size() == 1
                    || opinion != null && opinion.status() != HealthStatus.PASSING) {
                store(check, next, found);
            } else {
                held.incrementAndGet();
                LOG.warning("safety valve: holding " + check.definition.id() + " (" + found.output()
                        + "); another member sees it " + (opinion == null ? "unknown" : opinion.status()));
                outcomes.record(check.namespace, check.definition.id(), new CheckOutcome(check.status,
                        "held by the safety valve: " + found.output() + "; another member sees "
                                + (opinion == null ? "nothing" : opinion.output()), now, 0, memberName));
            }
        }, recorder);
    }

    /**
     * Stores a run on the recording threads, never on the scheduler's: a commit waits for the CP group, and while it
     * cannot answer, only the checks whose status changed wait, not the schedule of every check.
     */
    private CompletableFuture<Void> record(RunningCheck check, HealthStatus next, CheckResult found) {
        return CompletableFuture.runAsync(() -> store(check, next, found), recorder);
    }

    /** The same probe run by another member; null if there is no other member or it cannot answer. */
    private CompletableFuture<CheckResult> secondOpinion(Check check) {
        CompletableFuture<CheckResult> opinion = new CompletableFuture<>();
        member.getCluster().getMembers().stream().filter(other -> !other.localMember()).findAny().ifPresentOrElse(
                other -> confirmations.submitToMember(new ConfirmProbe(check), other,
                        new ExecutionCallback<CheckResult>() {
                            @Override
                            public void onResponse(CheckResult response) {
                                opinion.complete(response);
                            }

                            @Override
                            public void onFailure(Throwable error) {
                                opinion.complete(null);
                            }
                        }),
                () -> opinion.complete(null));
        return opinion;
    }

    private CompletableFuture<CheckResult> probe(RunningCheck check) {
        Check definition = check.definition;
        if (definition.kind() == CheckKind.TTL) {
            try {
                return CompletableFuture.completedFuture(
                        leases.evaluate(check.namespace, check.instanceId, definition, check.startedAt,
                                clock.millis()));
            } catch (RuntimeException unreadable) {
                // The lease's owner cannot be reached now: judge nothing this round, and look again at the next.
                return CompletableFuture.failedFuture(unreadable);
            }
        }
        if (definition.kind().isStatic()) {
            return CompletableFuture.completedFuture(new CheckResult(definition.status(), definition.notes()));
        }
        return probers.forKind(definition.kind())
                .map(prober -> probeSafely(prober, definition))
                .orElseGet(() -> CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                        definition.kind() + " checks are not supported")));
    }

    /**
     * A probe that cannot even start (a target the prober cannot use) is a critical result, not an exception: an
     * exception would silently end the check's schedule.
     */
    private static CompletableFuture<CheckResult> probeSafely(Prober prober, Check check) {
        try {
            return prober.probe(check);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                    "cannot probe " + check.target() + ": " + e.getMessage()));
        }
    }

    /** Records a run whose (damped) status is {@code next}: its outcome, and the status if it changed. */
    private void store(RunningCheck check, HealthStatus next, CheckResult result) {
        runs.incrementAndGet();
        long now = clock.millis();
        check.criticalSince = next == HealthStatus.CRITICAL ? (check.criticalSince == 0 ? now : check.criticalSince) : 0;
        try {
            if (next != check.status || !result.output().equals(check.lastOutput)
                    || now - check.outcomeWrittenAt >= OUTCOME_REFRESH.toMillis()) {
                outcomes.record(check.namespace, check.definition.id(),
                        new CheckOutcome(next, result.output(), now, check.criticalSince, memberName));
                check.lastOutput = result.output();
                check.outcomeWrittenAt = now;
            }
            if (next != check.status) {
                registry.updateCheckStatus(check.namespace, check.instanceId, check.definition.id(), next);
                check.status = next;
            }
            Duration deregisterAfter = check.definition.deregisterCriticalServiceAfter();
            if (deregisterAfter != null && check.criticalSince != 0
                    && now - check.criticalSince >= deregisterAfter.toMillis()) {
                LOG.info("deregistering " + check.instanceId + ": check " + check.definition.id() + " critical for "
                        + (now - check.criticalSince) + " ms");
                registry.deregister(check.namespace, check.instanceId);
                check.stop();
            }
        } catch (HazelcastException | RegistryException e) {
            LOG.log(Level.WARNING, "could not record check " + check.definition.id() + "; the next run tries again", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        recorder.shutdownNow();
        running.clear();
    }

    /** One check this member runs: its definition, damping state, and schedule. */
    private static final class RunningCheck {
        private final String namespace;
        private final String serviceKey;
        private final String instanceId;
        private final Check definition;
        private final Damper damper;
        private final long startedAt;
        private final java.util.concurrent.atomic.AtomicBoolean inFlight = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile HealthStatus status;
        private volatile long criticalSince;
        private volatile ScheduledFuture<?> future;
        private volatile long heldSince;
        private volatile long nextDueMillis;
        private volatile String lastOutput;
        private volatile long outcomeWrittenAt;
        private volatile long period;

        RunningCheck(String namespace, String service, String instanceId, Check definition, long startedAt) {
            this.namespace = namespace;
            this.serviceKey = namespace + '/' + service;
            this.instanceId = instanceId;
            this.definition = definition;
            this.damper = new Damper(definition.thresholds());
            this.status = definition.status();
            this.startedAt = startedAt;
        }

        String key() {
            return namespace + '/' + instanceId + '/' + definition.id();
        }

        boolean sameDefinition(Check check) {
            return check.withStatus(definition.status()).equals(definition);
        }

        /** The committed status, as the projection shows it, wins over what this member last wrote. */
        void observe(HealthStatus committed) {
            status = committed;
        }

        /** Whether a run may start: one run of a check at a time. */
        boolean claim() {
            return inFlight.compareAndSet(false, true);
        }

        void release() {
            inFlight.set(false);
        }

        void stop() {
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
