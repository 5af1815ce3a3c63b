package io.meridian.health.schedule;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CadenceTest {

    private static final long PERIOD = 1_000;

    @Test
    void firingsOnTimeEachStartARun() {
        Cadence cadence = new Cadence(1_000, PERIOD);
        assertEquals(List.of("run, 0 late", "run, 3 late", "run, 0 late"), fire(cadence, 1_000, 2_003, 3_000));
    }

    @Test
    void afterAStallTheFiringsMadeUpBackToBackStartOneRun() {
        Cadence cadence = new Cadence(1_000, PERIOD);
        // Due at 2,000-6,000, all held back until 6,000 and then fired back to back, as a fixed-rate executor does.
        List<String> firings = fire(cadence, 1_000, 6_000, 6_001, 6_001, 6_002, 6_002, 7_000);
        assertEquals(List.of("run, 0 late", "run, 4000 late", "skip, 3001 late", "skip, 2001 late",
                "skip, 1002 late", "skip, 2 late", "run, 0 late"), firings);
    }

    @Test
    void aScheduleThatStaysBehindStillRunsOncePerPeriodAndShowsHowFarBehindItIs() {
        Cadence cadence = new Cadence(1_000, PERIOD);
        List<String> firings = fire(cadence, 6_000, 7_000, 8_000, 9_000);
        assertEquals(List.of("run, 5000 late", "run, 5000 late", "run, 5000 late", "run, 5000 late"), firings);
    }

    @Test
    void aFiringHalfAPeriodBeforeTheNextRunIsDueIsAMadeUpOne() {
        Cadence cadence = new Cadence(1_000, PERIOD);
        // Late by 4.5 periods: the next run is due at 7,000, so the firings made up at 6,500 start none.
        List<String> firings = fire(cadence, 1_000, 6_500, 6_500, 6_500, 6_500, 6_500, 7_000);
        assertEquals(List.of("run, 0 late", "run, 4500 late", "skip, 3500 late", "skip, 2500 late",
                "skip, 1500 late", "skip, 500 late", "run, 0 late"), firings);
    }

    private static List<String> fire(Cadence cadence, long... times) {
        List<String> firings = new ArrayList<>();
        for (long time : times) {
            Cadence.Firing firing = cadence.fire(time);
            firings.add((firing.runs() ? "run, " : "skip, ") + firing.lagMillis() + " late");
        }
        return firings;
    }
}
