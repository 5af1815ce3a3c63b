package io.meridian.registry.durable;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Snapshot archives as {@code PUT /v1/snapshot} reads them: any bytes are a whole, intact snapshot or are refused
 * with {@link InvalidSnapshotException} (a 400); nothing else escapes, and nothing is read past the size bound. A
 * snapshot that reads writes back to one that reads the same.
 */
class SnapshotArchiveFuzzTest {

    private static final long MAX_BYTES = 1 << 20;

    // load-tests/fuzz.sh bounds a fuzzing run; mvn verify replays the corpus only.
    @FuzzTest(maxDuration = "24h")
    void bytesAreASnapshotOrRefused(byte[] bytes) throws IOException {
        Map<String, VersionedValue> state;
        try {
            state = SnapshotArchive.read(new ByteArrayInputStream(bytes), MAX_BYTES);
        } catch (InvalidSnapshotException refused) {
            return;
        }
        assertEquals(state.keySet(), SnapshotArchive.read(new ByteArrayInputStream(SnapshotArchive.write(state)),
                MAX_BYTES).keySet());
    }
}
