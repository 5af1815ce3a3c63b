package io.meridian.registry.grid;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkMergedTest {

    private static final int QUORUM = 2;
    private static final int EXPECTED = 3;

    @Test
    void writesOpenOnceAMajorityOfDisksWithDataHaveMerged() {
        RestoreProgress first = new MarkMerged("a", true, QUORUM, EXPECTED).apply(null);
        assertFalse(first.open());
        assertTrue(new MarkMerged("b", true, QUORUM, EXPECTED).apply(first).open());
    }

    @Test
    void anEmptyDiskNeverCompletesTheMajorityOnItsOwnAccount() {
        RestoreProgress replaced = new MarkMerged("c", false, QUORUM, EXPECTED).apply(null);
        RestoreProgress oneWithData = new MarkMerged("b", true, QUORUM, EXPECTED).apply(replaced);
        assertFalse(oneWithData.open(), "the acknowledged writes may be on the disk that has not merged yet");
        assertTrue(new MarkMerged("a", true, QUORUM, EXPECTED).apply(oneWithData).open());
    }

    @Test
    void aNewClusterOpensOnceEveryExpectedMemberHasMerged() {
        RestoreProgress progress = null;
        for (String node : new String[]{"a", "b"}) {
            progress = new MarkMerged(node, false, QUORUM, EXPECTED).apply(progress);
            assertFalse(progress.open());
        }
        assertTrue(new MarkMerged("c", false, QUORUM, EXPECTED).apply(progress).open());
    }

    @Test
    void theLargestRecordedClusterSetsTheMajorityAndOpenStaysOpen() {
        RestoreProgress fromSmall = new MarkMerged("a", true, QUORUM, EXPECTED).apply(null);
        RestoreProgress fromLarge = new MarkMerged("b", true, 3, 5).apply(fromSmall);
        assertFalse(fromLarge.open(), "the disk that saw five members asks for three disks with data");
        RestoreProgress open = new MarkMerged("c", true, QUORUM, EXPECTED).apply(fromLarge);
        assertTrue(open.open());
        assertTrue(new MarkMerged("d", false, QUORUM, EXPECTED).apply(open).open());
    }
}
