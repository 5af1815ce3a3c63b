package io.meridian.health.schedule;

import io.meridian.health.check.CheckResult;
import io.meridian.health.check.WatchedCheck;
import io.meridian.health.testing.InMemoryCheckRecords;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.Thresholds;
import io.meridian.registry.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What runs lead to, on a manual clock with writes made on the caller's thread: each row is a series of runs, given
 * as {@code second:STATUS}, for one check that starts passing.
 */
class CheckJudgeTest {

    private static final String NS = "default";
    private final ManualClock clock = new ManualClock();
    private final long start = clock.millis();
    private final InMemoryCheckRecords records = new InMemoryCheckRecords();
    private final List<String> writes = new ArrayList<>();
    private final StatusWrites registry = new StatusWrites() {
        @Override
        public void commitStatus(String namespace, String instanceId, String checkId, HealthStatus status) {
            writes.add(secondsNow() + ":" + status);
        }

        @Override
        public void deregister(String namespace, String instanceId) {
            writes.add(secondsNow() + ":deregistered");
        }
    };

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0:CRITICAL 5:CRITICAL 9:CRITICAL 10:CRITICAL         | 0:CRITICAL 10:deregistered",
            "0:CRITICAL 5:PASSING 6:CRITICAL 15:CRITICAL 16:CRITICAL | 0:CRITICAL 5:PASSING 6:CRITICAL 16:deregistered",
            "0:CRITICAL 9:CRITICAL                                 | 0:CRITICAL",
            "0:WARNING 30:WARNING                                  | 0:WARNING",
            "0:WARNING 3:CRITICAL 12:CRITICAL 13:CRITICAL          | 0:WARNING 3:CRITICAL 13:deregistered"})
    void anInstanceIsDeregisteredOnceItsCheckHasBeenCriticalForItsPeriod(String runs, String expected) {
        CheckJudge judge = judge(false);
        CheckState state = state(Duration.ofSeconds(10));

        play(judge, state, runs, false);

        assertEquals(expected, String.join(" ", writes));
        assertEquals(expected.endsWith("deregistered"), state.hasEnded());
    }

    @ParameterizedTest(name = "{0}, another member confirms: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "0:CRITICAL 60:CRITICAL 119:CRITICAL 120:CRITICAL    | false | 120:CRITICAL",
            "0:CRITICAL                                          | true  | 0:CRITICAL",
            "0:CRITICAL 60:PASSING 70:CRITICAL 189:CRITICAL 190:CRITICAL | false | 190:CRITICAL",
            "0:PASSING 10:PASSING                                | false | ''"})
    void aFailureNobodyConfirmsIsHeldForAtMostTheHoldLimit(String runs, boolean confirms, String expected) {
        CheckJudge judge = judge(confirms);
        CheckState state = state(null);

        play(judge, state, runs, true);

        assertEquals(expected, String.join(" ", writes));
        assertEquals(!confirms && runs.contains("CRITICAL"), judge.heldFailures() > 0);
    }

    @Test
    void aHeldFailureSaysWhyInItsOutputAndChangesNoStatus() {
        CheckJudge judge = judge(false);
        play(judge, state(null), "0:CRITICAL", true);

        assertEquals(List.of(), writes);
        assertEquals("held by the safety valve: HTTP 500; another member sees it pass",
                records.outcomes(NS, List.of("web-1-check")).get("web-1-check").output());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0:PASSING 1:PASSING 2:PASSING", "0:CRITICAL 1:CRITICAL 2:CRITICAL"})
    void aRunIsRecordedWhenItsStatusOrOutputChangesAndEvery30SecondsOtherwise(String runs) {
        CheckJudge judge = judge(true);
        CheckState state = state(null);
        play(judge, state, runs, false);
        long ranAt = records.outcomes(NS, List.of("web-1-check")).get("web-1-check").ranAtMillis();
        assertEquals(start, ranAt, "runs 1 and 2 changed nothing worth writing");

        clock.advance(CheckJudge.OUTCOME_REFRESH);
        judge.judge(state, result(runs.substring(runs.lastIndexOf(':') + 1)), false).join();
        assertTrue(records.outcomes(NS, List.of("web-1-check")).get("web-1-check").ranAtMillis() > ranAt);
    }

    private CheckJudge judge(boolean othersConfirm) {
        SecondOpinion opinions = watched -> CompletableFuture.completedFuture(
                new SecondOpinion.Opinion(othersConfirm, othersConfirm ? "it fail too" : "it pass"));
        return new CheckJudge(registry, records, opinions, new SafetyValve(0.5), Duration.ofMinutes(2), clock,
                Runnable::run, "member-1");
    }

    private CheckState state(Duration deregisterAfter) {
        Check check = new Check("web-1-check", "", CheckKind.HTTP, "http://127.0.0.1:1/", null,
                Duration.ofSeconds(1), null, null, deregisterAfter, Thresholds.NONE, HealthStatus.PASSING, "");
        return new CheckState(new WatchedCheck(NS, "web-1", check, start), "web");
    }

    /** Runs each result at its second; a series moves the clock forward only. */
    private void play(CheckJudge judge, CheckState state, String runs, boolean seenDifferentlyElsewhere) {
        for (String run : runs.trim().split("\\s+")) {
            String[] parts = run.split(":");
            clock.advance(Duration.ofSeconds(Long.parseLong(parts[0])).minusMillis(clock.millis() - start));
            judge.judge(state, result(parts[1]), seenDifferentlyElsewhere).join();
        }
    }

    private static CheckResult result(String status) {
        HealthStatus parsed = HealthStatus.valueOf(status);
        return new CheckResult(parsed, parsed == HealthStatus.PASSING ? "HTTP 200" : "HTTP 500");
    }

    private long secondsNow() {
        return (clock.millis() - start) / 1000;
    }
}
