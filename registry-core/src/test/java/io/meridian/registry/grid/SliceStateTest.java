package io.meridian.registry.grid;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Anti-entropy re-applies a slice to its header only when the header lacks it, not when a write came in between. */
class SliceStateTest {

    private static final SliceState SLICE = new SliceState(Map.of(3, 10L), new BucketSummary(10, 2, List.of("v1")));

    @ParameterizedTest(name = "header at version {0} with {1} instances: missing {2}")
    @CsvSource({
            "-1, 0, true",   // no summary of the slice at all
            "9, 2, true",    // an older one: the header lost an update
            "10, 1, true",   // the same version, other content: damaged
            "10, 2, false",  // the same summary
            "11, 3, false",  // newer: a write landed after the slice was read
    })
    void aHeaderLacksTheSliceOnlyIfItsSummaryIsMissingOrOlder(long version, int instances, boolean missing) {
        BucketSummary inHeader = version < 0 ? null : new BucketSummary(version, instances, List.of("v1"));
        assertEquals(missing, SLICE.isMissingFrom(inHeader));
    }
}
