package io.meridian.faults;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker against histories made on purpose: good ones pass, and each kind of bad one is caught. */
class HistoryCheckerTest {

    private static Op register(String id, long invoked, long completed, Op.Outcome outcome) {
        return Op.write(0, Op.Kind.REGISTER, "web", id, 0, invoked, completed, outcome, 0);
    }

    private static Op deregister(String id, long invoked, long completed, Op.Outcome outcome) {
        return Op.write(0, Op.Kind.DEREGISTER, "web", id, 0, invoked, completed, outcome, 0);
    }

    private static Op consistentRead(long invoked, long completed, String... seen) {
        return Op.read(1, true, "web", 0, invoked, completed, 0, Set.of(seen));
    }

    private static Op read(int node, long invoked, long completed, long index) {
        return Op.read(1, false, "web", node, invoked, completed, index, Set.of());
    }

    private static HistoryChecker.Verdict check(List<Op> ops, Set<String> listedByEveryMember) {
        return HistoryChecker.check(History.of(ops), Map.of(0, Map.of("web", listedByEveryMember),
                1, Map.of("web", listedByEveryMember)));
    }

    @Test
    void aCleanHistoryPasses() {
        HistoryChecker.Verdict verdict = check(List.of(
                register("a", 0, 10, Op.Outcome.OK),
                consistentRead(5, 15, "a"),
                register("b", 20, 30, Op.Outcome.OK),
                consistentRead(35, 40, "a", "b"),
                deregister("a", 50, 60, Op.Outcome.OK),
                consistentRead(70, 80, "b")), Set.of("b"));
        assertTrue(verdict.passed(), verdict.toString());
        assertEquals(2, verdict.acknowledged());
    }

    @Test
    void anAcknowledgedRegistrationMissingAtTheEndIsALostWrite() {
        HistoryChecker.Verdict verdict = check(List.of(register("a", 0, 10, Op.Outcome.OK),
                register("b", 0, 10, Op.Outcome.OK)), Set.of("b"));
        assertEquals(2, verdict.lost().size(), "missing on both members: " + verdict.lost());
        assertTrue(verdict.lost().get(0).contains("web/a"));
    }

    @Test
    void anAcknowledgedDeregistrationUndoneIsALostWrite() {
        HistoryChecker.Verdict verdict = check(List.of(register("a", 0, 10, Op.Outcome.OK),
                deregister("a", 20, 30, Op.Outcome.OK)), Set.of("a"));
        assertFalse(verdict.passed());
        assertTrue(verdict.lost().get(0).contains("still lists web/a"), verdict.lost().toString());
    }

    @Test
    void aRegistrationThatMayHaveBeenDeregisteredOrThatTimedOutMayBeMissing() {
        HistoryChecker.Verdict verdict = check(List.of(register("a", 0, 10, Op.Outcome.OK),
                deregister("a", 20, Long.MAX_VALUE, Op.Outcome.UNKNOWN),
                register("b", 30, Long.MAX_VALUE, Op.Outcome.UNKNOWN)), Set.of());
        assertTrue(verdict.passed(), verdict.toString());
    }

    @Test
    void aStaleConsistentReadAfterAnAcknowledgedWriteIsNotLinearizable() {
        HistoryChecker.Verdict verdict = check(List.of(
                register("a", 0, 10, Op.Outcome.OK),
                consistentRead(20, 30)), Set.of("a"));
        assertEquals(List.of("web: ?consistent reads not linearizable"), verdict.anomalies());
    }

    @Test
    void aReadThatShowsALaterWriteWithoutAnEarlierOneIsNotLinearizable() {
        // a completed before b began, so no moment has b without a: what one read across shards at a time can see.
        HistoryChecker.Verdict verdict = check(List.of(
                register("a", 10, 20, Op.Outcome.OK),
                register("b", 30, 40, Op.Outcome.OK),
                consistentRead(0, 50, "b")), Set.of("a", "b"));
        assertEquals(1, verdict.anomalies().size(), verdict.toString());
    }

    @Test
    void readsConcurrentWithAWriteMaySeeItOrNot() {
        HistoryChecker.Verdict verdict = check(List.of(
                register("a", 10, 100, Op.Outcome.OK),
                consistentRead(20, 30, "a"),
                consistentRead(40, 50, "a")), Set.of("a"));
        assertTrue(verdict.passed(), verdict.toString());
    }

    @Test
    void aReadMustNotUnseeAWriteAnEarlierReadSaw() {
        HistoryChecker.Verdict verdict = check(List.of(
                register("a", 10, 100, Op.Outcome.OK),
                consistentRead(20, 30, "a"),
                consistentRead(40, 50)), Set.of("a"));
        assertEquals(1, verdict.anomalies().size(), verdict.toString());
    }

    @Test
    void aWriteOfUnknownOutcomeMayTakeEffectLongAfterItsInvocationOrNever() {
        assertTrue(check(List.of(
                register("a", 0, Long.MAX_VALUE, Op.Outcome.UNKNOWN),
                consistentRead(10, 20),
                consistentRead(100, 110, "a")), Set.of("a")).passed());
        assertTrue(check(List.of(
                register("a", 0, Long.MAX_VALUE, Op.Outcome.UNKNOWN),
                consistentRead(10, 20)), Set.of()).passed());
        assertTrue(check(List.of(
                register("a", 0, 5, Op.Outcome.UNKNOWN),
                consistentRead(10, 20),
                consistentRead(100, 110, "a")), Set.of("a")).passed(), "a 503 is no proof the write never commits");
    }

    @Test
    void manyWritesOfUnknownOutcomeThatNoReadSawLeaveTheSearchConclusive() {
        List<Op> ops = new ArrayList<>();
        ops.add(register("a", 0, 50, Op.Outcome.OK));
        for (int i = 0; i < 30; i++) {
            ops.add(register("lost-" + i, i, Long.MAX_VALUE, Op.Outcome.UNKNOWN));
        }
        ops.add(deregister("a", 40, Long.MAX_VALUE, Op.Outcome.UNKNOWN));
        for (int i = 0; i < 30; i++) {
            ops.add(consistentRead(100 + 10 * i, 105 + 10 * i, "a"));
        }
        HistoryChecker.Verdict verdict = check(ops, Set.of("a"));
        assertTrue(verdict.passed(), verdict.toString());
        assertEquals(List.of(), verdict.inconclusive());

        ops.add(consistentRead(500, 510, "a", "lost-3"));
        ops.add(consistentRead(520, 530, "a"));
        assertEquals(1, check(ops, Set.of("a")).anomalies().size(), "a write seen once cannot be unseen");
    }

    @Test
    void aDeregistrationOfUnknownOutcomeThatAReadSawMayHaveTakenEffect() {
        assertTrue(check(List.of(
                register("a", 0, 10, Op.Outcome.OK),
                deregister("a", 20, Long.MAX_VALUE, Op.Outcome.UNKNOWN),
                consistentRead(30, 40, "a"),
                consistentRead(50, 60)), Set.of()).passed());
        assertEquals(1, check(List.of(
                register("a", 0, 10, Op.Outcome.OK),
                deregister("a", 20, Long.MAX_VALUE, Op.Outcome.UNKNOWN),
                consistentRead(30, 40),
                consistentRead(50, 60, "a")), Set.of("a")).anomalies().size());
    }

    @Test
    void aReadOnOneMemberBelowAnEarlierReadsIndexIsAnAnomaly() {
        HistoryChecker.Verdict verdict = check(List.of(
                read(0, 0, 10, 7),
                read(0, 20, 30, 5),
                read(1, 20, 30, 3)), Set.of());
        assertEquals(1, verdict.anomalies().size(), verdict.toString());
        assertTrue(verdict.anomalies().get(0).contains("0/web"), verdict.anomalies().toString());
    }

    @Test
    void overlappingReadsMayAnswerInEitherOrder() {
        assertTrue(check(List.of(read(0, 0, 30, 7), read(0, 10, 20, 5)), Set.of()).passed());
    }

    @Test
    void anSdkLookupCarriesNoIndexAndCannotBeARegression() {
        Op sdkLookup = new Op(100, Op.Kind.SDK_READ, "web", "", 0, 20, 30, Op.Outcome.OK, 0, Set.of());
        assertTrue(check(List.of(read(0, 0, 10, 7), sdkLookup), Set.of()).passed());
    }
}
