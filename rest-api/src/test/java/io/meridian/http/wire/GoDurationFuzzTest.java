package io.meridian.http.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Go durations ({@code "10s"}, {@code "1h30m"}): anything parses or is refused, and what parses formats back. */
class GoDurationFuzzTest {

    // load-tests/fuzz.sh bounds a fuzzing run; mvn verify replays the corpus only.
    @FuzzTest(maxDuration = "24h")
    void aDurationParsesAndFormatsBackOrIsRefused(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Duration parsed;
        try {
            parsed = GoDuration.parse(text);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertEquals(parsed, GoDuration.parse(GoDuration.format(parsed)), "round trip of " + text);
    }
}
