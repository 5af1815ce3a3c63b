package io.meridian.health.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetyValveTest {

    /**
     * Each row: checks of service a (failing of them), checks of service b (failing of them), and whether the valve
     * is open for a and for b at a share of 50%. Under ten results in all it stays open: too few to judge.
     */
    @ParameterizedTest(name = "a {1}/{0} failing, b {3}/{2} failing: open for a {4}, for b {5}")
    @CsvSource({
            "10, 0, 10, 0, false, false",
            "10, 5, 10, 0, false, false",
            "10, 6, 10, 0, true, false",
            "10, 10, 10, 10, true, true",
            "10, 9, 10, 3, true, true",
            "3, 3, 20, 0, false, false",
            "5, 4, 10, 0, true, false",
            "4, 0, 2, 0, true, true"})
    void opensWhenMoreThanTheShareOfTheMembersOrOfAServicesChecksFail(int a, int aFailing, int b, int bFailing,
                                                                       boolean openForA, boolean openForB) {
        SafetyValve valve = new SafetyValve(0.5);
        for (int i = 0; i < a; i++) {
            valve.record("a-" + i, "ns/a", i < aFailing);
        }
        for (int i = 0; i < b; i++) {
            valve.record("b-" + i, "ns/b", i < bFailing);
        }
        assertEquals(openForA, valve.isOpen("ns/a"));
        assertEquals(openForB, valve.isOpen("ns/b"));
    }

    @Test
    void aCheckCountsOnlyByItsLatestResultAndNotAtAllOnceForgotten() {
        SafetyValve valve = new SafetyValve(0.5);
        for (int i = 0; i < 12; i++) {
            valve.record("a-" + i, "ns/a", true);
        }
        assertTrue(valve.isOpenForMember());
        for (int i = 0; i < 12; i++) {
            valve.record("a-" + i, "ns/a", i < 6);
        }
        assertFalse(valve.isOpen("ns/a"), "6 of 12 failing is not more than half");
        valve.forget("a-11");
        assertTrue(valve.isOpen("ns/a"), "6 of 11 failing is");
        for (int i = 0; i < 11; i++) {
            valve.forget("a-" + i);
        }
        assertTrue(valve.isOpen("ns/a"), "no results: too few to judge");
        assertFalse(valve.isOpenForMember());
    }
}
