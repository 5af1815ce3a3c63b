package io.meridian.health.schedule;

import io.meridian.health.check.CheckResult;
import io.meridian.registry.CheckOutcome;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.RegistryException;

import com.hazelcast.core.HazelcastException;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a check's runs lead to. A result goes through the check's damper; only a change of status is committed; the
 * output and time of a run are recorded when they change, and at least every 30 seconds; a check critical for its
 * {@code DeregisterCriticalServiceAfter} has its instance deregistered. While many checks fail at once, the
 * {@link SafetyValve} wants a {@link SecondOpinion} before a probe's failure is written, for at most
 * {@code holdAtMost}. Time comes from the given clock. A run is judged on the caller's thread (a prober's, which must
 * not block: nothing here does), and every write runs on the given executor, never on the caller's: a commit waits
 * for the CP group, and while it cannot answer only the checks whose status changed wait. Thread-safe, given one run
 * of a check at a time.
 */
final class CheckJudge {

    /** A run whose status and output are unchanged refreshes the stored outcome only this often. */
    static final Duration OUTCOME_REFRESH = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(CheckJudge.class.getName());
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final StatusWrites writes;
    private final CheckRecords records;
    private final SecondOpinion opinions;
    private final SafetyValve valve;
    private final Duration holdAtMost;
    private final Clock clock;
    private final Executor writing;
    private final String memberName;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong held = new AtomicLong();

    CheckJudge(StatusWrites writes, CheckRecords records, SecondOpinion opinions, SafetyValve valve,
               Duration holdAtMost, Clock clock, Executor writing, String memberName) {
        this.writes = writes;
        this.records = records;
        this.opinions = opinions;
        this.valve = valve;
        this.holdAtMost = holdAtMost;
        this.clock = clock;
        this.writing = writing;
        this.memberName = memberName;
    }

    /**
     * Judges a scheduled run's result. A turn for the worse of a check that another member could see differently,
     * while the valve is open for its service, is written only once another member confirms it (or there is nobody to
     * ask), or once it has been held for {@code holdAtMost}.
     *
     * @return done once the run's consequences are stored
     */
    CompletableFuture<Void> judge(CheckState check, CheckResult found, boolean seenDifferentlyElsewhere) {
        valve.record(check.key(), check.serviceKey(), found.status() != HealthStatus.PASSING);
        HealthStatus next = check.damper().next(check.status, found.status());
        boolean worse = next.compareTo(check.status) > 0;
        if (!worse || !seenDifferentlyElsewhere || !valve.isOpen(check.serviceKey())) {
            check.heldSince = 0;
            return settle(check, next, found);
        }
        long now = clock.millis();
        check.heldSince = check.heldSince == 0 ? now : check.heldSince;
        if (now - check.heldSince >= holdAtMost.toMillis()) {
            LOG.warning("safety valve: " + check.key() + " has failed for " + (now - check.heldSince)
                    + " ms without confirmation; reporting it");
            return settle(check, next, found);
        }
        return opinions.ask(check.watched()).thenCompose(opinion -> {
            if (opinion.confirms()) {
                return settle(check, next, found);
            }
            return CompletableFuture.runAsync(() -> {
                held.incrementAndGet();
                LOG.warning("safety valve: holding " + check.key() + " (" + found.output() + "); another member sees "
                        + opinion.said());
                records.record(check.watched().namespace(), check.watched().check().id(), new CheckOutcome(
                        check.status, "held by the safety valve: " + found.output() + "; another member sees "
                        + opinion.said(), now, 0, memberName));
            }, writing);
        });
    }

    /**
     * Judges the run a failure report asked for: a failure is written at once, without damping or the valve.
     *
     * @return the check's status afterwards
     */
    CompletableFuture<HealthStatus> judgeReported(CheckState check, CheckResult found) {
        HealthStatus next = found.status() == HealthStatus.PASSING ? check.status : found.status();
        return settle(check, next, found).thenApply(written -> next);
    }

    /** How many runs have been judged and settled. */
    long completedRuns() {
        return runs.get();
    }

    /** How many failures were held back because another member did not confirm them. */
    long heldFailures() {
        return held.get();
    }

    /**
     * Settles a run whose (damped) status is {@code next}: works out on the caller's thread what it changes, and
     * only if something is to be written (the status, the outcome, a deregistration) hands that to the writing
     * threads; a run that changes nothing, the common case, ends here.
     */
    private CompletableFuture<Void> settle(CheckState check, HealthStatus next, CheckResult result) {
        runs.incrementAndGet();
        long now = clock.millis();
        boolean critical = next == HealthStatus.CRITICAL;
        check.criticalSince = critical ? (check.criticalSince == 0 ? now : check.criticalSince) : 0;
        boolean outcomeDue = next != check.status || !result.output().equals(check.lastOutput)
                || now - check.outcomeWrittenAt >= OUTCOME_REFRESH.toMillis();
        Duration deregisterAfter = check.watched().check().deregisterCriticalServiceAfter();
        boolean deregistrationDue = deregisterAfter != null && check.criticalSince != 0
                && now - check.criticalSince >= deregisterAfter.toMillis();
        if (!outcomeDue && !deregistrationDue) {
            return DONE;
        }
        return CompletableFuture.runAsync(() -> write(check, next, result, now, outcomeDue, deregistrationDue),
                writing);
    }

    private void write(CheckState check, HealthStatus next, CheckResult result, long now, boolean outcomeDue,
                       boolean deregistrationDue) {
        String namespace = check.watched().namespace();
        String instanceId = check.watched().instanceId();
        String checkId = check.watched().check().id();
        try {
            if (outcomeDue) {
                records.record(namespace, checkId, new CheckOutcome(next, result.output(), now, check.criticalSince,
                        memberName));
                check.lastOutput = result.output();
                check.outcomeWrittenAt = now;
            }
            if (next != check.status) {
                writes.commitStatus(namespace, instanceId, checkId, next);
                check.status = next;
            }
            if (deregistrationDue) {
                LOG.info("deregistering " + instanceId + ": check " + checkId + " critical for "
                        + (now - check.criticalSince) + " ms");
                writes.deregister(namespace, instanceId);
                check.end();
            }
        } catch (HazelcastException | RegistryException e) {
            LOG.log(Level.WARNING, "could not record check " + checkId + "; the next run tries again", e);
        }
    }
}
