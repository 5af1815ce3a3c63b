package io.meridian.http.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GoDurationTest {

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({
            "10s, 10000",
            "1m30s, 90000",
            "500ms, 500",
            "120000ms, 120000",
            "1.5h, 5400000",
            "2h45m, 9900000",
            "1000000000, 1000",
            "-5s, -5000",
            "250us, 0"})
    void parsesGoDurations(String text, long millis) {
        assertEquals(millis, GoDuration.parse(text).toMillis());
    }

    @ParameterizedTest(name = "\"{0}\" is not a duration")
    @ValueSource(strings = {"", "s", "10 s", "ten seconds", "10x", "1m30", "5s5"})
    void rejectsWhatGoRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
    }

    @ParameterizedTest(name = "{1} ms prints as {0}")
    @CsvSource({"0s, 0", "500ms, 500", "10s, 10000", "1m30s, 90000", "2m0s, 120000", "1h0m0s, 3600000", "1.5s, 1500"})
    void formatsAsGoPrints(String text, long millis) {
        assertEquals(text, GoDuration.format(Duration.ofMillis(millis)));
    }

    /** Found by GoDurationFuzzTest: "2" (2 ns) printed as "0s". Go prints below a millisecond in µs and ns. */
    @ParameterizedTest(name = "{1} ns prints as {0}")
    @CsvSource({"2ns, 2", "1.5µs, 1500", "1.000001ms, 1000001", "-2s, -2000000000", "1m0.000000001s, 60000000001"})
    void formatsWhatIsBelowAMillisecondAsGoDoes(String text, long nanos) {
        assertEquals(text, GoDuration.format(Duration.ofNanos(nanos)));
        assertEquals(nanos, GoDuration.parse(text).toNanos());
    }

    @Test
    void refusesWhatNoGoDurationHolds() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("2562048h"));
    }
}
