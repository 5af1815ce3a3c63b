package io.meridian.health.check;

import io.meridian.registry.HealthStatus;
import io.meridian.registry.Thresholds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DamperTest {

    /**
     * Each row: the thresholds (success before passing, failures before warning, failures before critical), the
     * status before, the results in order (P passing, W warning, C critical), and the statuses after each result.
     */
    @ParameterizedTest(name = "{0}/{1}/{2} from {3}: {4} gives {5}")
    @CsvSource({
            "0, 0, 0, CRITICAL, P C P,     P C P",
            "3, 0, 0, CRITICAL, P P P P,   C C P P",
            "3, 0, 0, CRITICAL, P P C P P, C C C C C",
            "0, 0, 3, PASSING,  C C C,     P P C",
            "0, 0, 3, PASSING,  C C P C C, P P P P P",
            "0, 1, 3, PASSING,  C C C,     W W C",
            "0, 2, 4, PASSING,  C C C C P, P W W C P",
            "0, 0, 0, PASSING,  W C,       W C",
            "2, 0, 2, PASSING,  C C P P,   P C C P"})
    void dampsAsConsulDoes(int successBeforePassing, int failuresBeforeWarning, int failuresBeforeCritical,
                           HealthStatus start, String results, String expected) {
        Damper damper = new Damper(new Thresholds(successBeforePassing, failuresBeforeWarning, failuresBeforeCritical));
        HealthStatus status = start;
        List<String> seen = new ArrayList<>();
        for (String result : results.trim().split("\\s+")) {
            status = damper.next(status, parse(result));
            seen.add(status.name().substring(0, 1));
        }
        assertEquals(expected.trim().replaceAll("\\s+", " "), String.join(" ", seen));
    }

    private static HealthStatus parse(String letter) {
        return switch (letter) {
            case "P" -> HealthStatus.PASSING;
            case "W" -> HealthStatus.WARNING;
            default -> HealthStatus.CRITICAL;
        };
    }
}
