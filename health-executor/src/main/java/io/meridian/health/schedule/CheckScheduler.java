package io.meridian.health.schedule;

import com.hazelcast.core.HazelcastInstance;
import io.meridian.health.check.Prober;
import io.meridian.health.check.Probers;
import io.meridian.health.check.WatchedCheck;
import io.meridian.registry.Check;
import io.meridian.registry.CheckingMember;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.MemberTasks;
import io.meridian.registry.grid.OwnedChecksListener;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When and where checks run: on one member, the checks of the instances whose projection slices that member owns. It
 * hears of them slice by slice as they are written and as partitions migrate
 * ({@link HazelcastRegistry#followOwnedChecks}, no scan of the slices): new checks start after a random part of their
 * period (jitter), vanished ones stop, so checks follow partitions when members join, leave or die. Each check runs at
 * its prober's period, one run at a time, with no making up for runs a stall held back ({@link Cadence}), started
 * where its prober asks ({@link Prober#startsRunsOn()}: an HTTP or TCP check on the event loop that connects it, with
 * no hand-over between threads) or else on this scheduler's threads; the {@link CheckJudge} decides what a run leads
 * to. It answers failure reports for the instances it checks ({@link CheckingMember}) and lends its probers to other
 * members' second opinions, through the member's {@link MemberTasks}. Thread-safe; {@link #close()} stops every
 * check.
 */
public final class CheckScheduler implements CheckingMember, OwnedChecksListener, AutoCloseable {

    public static final double DEFAULT_VALVE_SHARE = 0.5;
    public static final Duration DEFAULT_HOLD_AT_MOST = Duration.ofMinutes(2);
    private static final int LAG_SAMPLES = 1 << 16;
    /** Threads storing outcomes and committing status changes. */
    private static final int WRITING_THREADS = 4;

    private static final Logger LOG = Logger.getLogger(CheckScheduler.class.getName());

    private final HazelcastRegistry registry;
    private final MemberTasks tasks;
    private final Probers probers;
    private final Clock clock;
    private final SafetyValve valve;
    private final CheckJudge judge;
    private final ScheduledExecutorService executor;
    /** Stores runs; a check has at most one run being stored, so its queue holds at most one task per check. */
    private final ExecutorService writing;
    private final Map<String, ScheduledCheck> running = new ConcurrentHashMap<>();
    /** The checks of each owned slice, by key, and the slice of each; touched by {@link #sliceChanged} only. */
    private final Map<String, Set<String>> bySlice = new HashMap<>();
    private final Map<String, String> sliceOfCheck = new HashMap<>();
    private volatile AutoCloseable ownership;
    private final AtomicLongArray lags = new AtomicLongArray(LAG_SAMPLES);
    private final AtomicLong lagCount = new AtomicLong();

    /** A scheduler with the default safety valve: a 50% share, and failures held for at most two minutes. */
    public CheckScheduler(HazelcastRegistry registry, HazelcastInstance member, MemberTasks tasks, Probers probers,
                          Clock clock) {
        this(registry, member, tasks, probers, clock, DEFAULT_VALVE_SHARE, DEFAULT_HOLD_AT_MOST);
    }

    /**
     * A scheduler whose safety valve opens when more than {@code valveShare} of its checks, or of one service's,
     * fail, and holds an unconfirmed failure for at most {@code holdAtMost}.
     */
    public CheckScheduler(HazelcastRegistry registry, HazelcastInstance member, MemberTasks tasks, Probers probers,
                          Clock clock, double valveShare, Duration holdAtMost) {
        this.registry = registry;
        this.tasks = tasks;
        this.probers = probers;
        this.clock = clock;
        this.valve = new SafetyValve(valveShare);
        this.executor = Executors.newScheduledThreadPool(2, daemon("meridian-checks"));
        this.writing = Executors.newFixedThreadPool(WRITING_THREADS, daemon("meridian-check-records"));
        this.judge = new CheckJudge(StatusWrites.through(registry), registry.checkRecords(),
                new ClusterSecondOpinion(member), valve, holdAtMost, clock, writing,
                member.getCluster().getLocalMember().getAddress().toString());
        tasks.provide(CheckingMember.class, this);
        tasks.provide(Probers.class, probers);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Starts following ownership: the checks of slices as they are written, and of partitions that migrate to or
     * away from this member, noticed within {@code ownershipPoll}.
     */
    public CheckScheduler start(Duration ownershipPoll) {
        ownership = registry.followOwnedChecks(this, ownershipPoll);
        return this;
    }

    /** The keys ({@code namespace/instanceId/checkId}) of the checks this member runs now. */
    public Set<String> runningChecks() {
        return Set.copyOf(running.keySet());
    }

    /** How many check runs this member has completed. */
    public long completedRuns() {
        return judge.completedRuns();
    }

    /** How many failures the safety valve has held back because another member did not confirm them. */
    public long heldFailures() {
        return judge.heldFailures();
    }

    /** Whether more than the valve's share of this member's checks fail: the checker, not the services, is suspect. */
    public boolean isValveOpen() {
        return valve.isOpenForMember();
    }

    /**
     * The scheduling lag of the latest runs (at most 65,536), in milliseconds: how late each run started against
     * the time its period set for it.
     */
    public long[] recentLagsMillis() {
        int count = (int) Math.min(lagCount.get(), LAG_SAMPLES);
        long[] copy = new long[count];
        for (int i = 0; i < count; i++) {
            copy[i] = lags.get(i);
        }
        return copy;
    }

    @Override
    public CompletableFuture<Optional<HealthStatus>> checkNow(String namespace, String instanceId) {
        List<CheckState> checks = running.values().stream().map(ScheduledCheck::state)
                .filter(check -> check.watched().namespace().equals(namespace)
                        && check.watched().instanceId().equals(instanceId))
                .toList();
        if (checks.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        List<CompletableFuture<HealthStatus>> statuses = checks.stream()
                .map(check -> probers.probe(check.watched()).thenCompose(found -> judge.judgeReported(check, found)))
                .toList();
        return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new)).thenApply(done -> Optional.of(
                statuses.stream().map(CompletableFuture::join).reduce(HealthStatus.PASSING, HealthStatus::worst)));
    }

    /**
     * Brings the checks of one slice in line with what it holds now: new checks start, changed definitions restart,
     * vanished ones stop, and the rest learn their committed status. Called on the ownership follower's one thread.
     */
    @Override
    public void sliceChanged(String sliceKey, List<InstanceEntry> instancesWithChecks) {
        Set<String> before = bySlice.getOrDefault(sliceKey, Set.of());
        Set<String> after = new HashSet<>();
        for (InstanceEntry entry : instancesWithChecks) {
            for (Check check : entry.instance().checks()) {
                String key = entry.instance().namespace() + '/' + entry.instance().id() + '/' + check.id();
                after.add(key);
                sliceOfCheck.put(key, sliceKey);
                ScheduledCheck current = running.get(key);
                if (current != null && current.runs(check)) {
                    current.state().observe(check.status());
                } else {
                    if (current != null) {
                        current.stop();
                    }
                    running.put(key, start(entry, check));
                }
            }
        }
        for (String key : before) {
            // A check that moved to another slice (its instance re-registered under another service) stays.
            if (!after.contains(key) && sliceKey.equals(sliceOfCheck.get(key))) {
                sliceOfCheck.remove(key);
                stop(key);
            }
        }
        if (after.isEmpty()) {
            bySlice.remove(sliceKey);
        } else {
            bySlice.put(sliceKey, after);
        }
    }

    private void stop(String key) {
        ScheduledCheck stopped = running.remove(key);
        if (stopped != null) {
            stopped.stop();
            valve.forget(key);
        }
    }

    private ScheduledCheck start(InstanceEntry entry, Check check) {
        CheckState state = new CheckState(new WatchedCheck(entry.instance().namespace(), entry.instance().id(), check,
                clock.millis()), entry.instance().service());
        Prober prober = probers.forKind(check.kind());
        long period = prober.every(check).toMillis();
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, period));
        ScheduledCheck started = new ScheduledCheck(state, prober, period, monotonicMillis() + jitter);
        started.future = prober.startsRunsOn().orElse(executor)
                .scheduleAtFixedRate(() -> run(started), jitter, period, TimeUnit.MILLISECONDS);
        return started;
    }

    private void run(ScheduledCheck check) {
        Cadence.Firing firing = check.cadence.fire(monotonicMillis());
        lags.set((int) (lagCount.getAndIncrement() % LAG_SAMPLES), firing.lagMillis());
        if (!firing.runs() || !check.inFlight.compareAndSet(false, true)) {
            return;
        }
        CheckState state = check.state();
        probers.probe(state.watched())
                .thenCompose(found -> judge.judge(state, found, check.prober.seenDifferentlyElsewhere()))
                .whenComplete((done, error) -> {
                    check.inFlight.set(false);
                    if (state.hasEnded()) {
                        check.stop();
                    }
                });
    }

    /**
     * Now on the monotonic clock the executors schedule by, in milliseconds. A check's cadence never reads the wall
     * clock: set back, it would skip every run until it caught up; set forward, it would read as lag for good.
     */
    private static long monotonicMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    @Override
    public void close() {
        closeOwnership();
        tasks.withdraw(CheckingMember.class, this);
        tasks.withdraw(Probers.class, probers);
        running.values().forEach(ScheduledCheck::stop);
        running.clear();
        executor.shutdownNow();
        writing.shutdownNow();
    }

    private void closeOwnership() {
        AutoCloseable following = ownership;
        if (following == null) {
            return;
        }
        try {
            following.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not stop following ownership", e);
        }
    }

    /** One check this member runs: its state, prober and schedule. */
    private static final class ScheduledCheck {
        private final CheckState state;
        private final Prober prober;
        /** Touched only by the check's firings, which its schedule runs one at a time. */
        private final Cadence cadence;
        private final AtomicBoolean inFlight = new AtomicBoolean();
        private volatile ScheduledFuture<?> future;

        ScheduledCheck(CheckState state, Prober prober, long periodMillis, long firstDueMillis) {
            this.state = state;
            this.prober = prober;
            this.cadence = new Cadence(firstDueMillis, periodMillis);
        }

        CheckState state() {
            return state;
        }

        /** Whether this runs the given definition (a change of committed status alone is no new definition). */
        boolean runs(Check check) {
            Check definition = state.watched().check();
            return check.withStatus(definition.status()).equals(definition);
        }

        void stop() {
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
