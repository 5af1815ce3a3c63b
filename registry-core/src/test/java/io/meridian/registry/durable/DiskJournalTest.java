package io.meridian.registry.durable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskJournalTest {

    private static final long NO_COMPACTION = Long.MAX_VALUE;
    private static final String FIRST_SEGMENT = "journal-000000000001.bin";

    @TempDir
    Path directory;

    @Test
    void whatWasForcedIsThereAfterReopeningAndTheHigherIndexWins() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION)) {
            journal.append(Map.of("a", new VersionedValue(5, "a@5"), "b", new VersionedValue(1, "b@1"))).get();
            journal.append(Map.of("a", new VersionedValue(3, "a@3 arrives late"))).get();
            journal.append(Map.of("b", new VersionedValue(2, "b@2"))).get();
        }
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION)) {
            assertEquals(Map.of("a", new VersionedValue(5, "a@5"), "b", new VersionedValue(2, "b@2")),
                    reopened.state());
        }
    }

    @Test
    void manyConcurrentAppendsAllCompleteAndAllSurvive() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION)) {
            CompletableFuture.allOf(IntStream.range(0, 2_000).parallel()
                    .mapToObj(i -> journal.append(Map.of("k" + i, new VersionedValue(i, "v" + i))))
                    .toArray(CompletableFuture[]::new)).get();
        }
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION)) {
            assertEquals(2_000, reopened.state().size());
            assertEquals(new VersionedValue(1_999, "v1999"), reopened.state().get("k1999"));
        }
    }

    @Test
    void aTornLastWriteIsCutAndTheJournalTakesWritesAgain() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION)) {
            journal.append(Map.of("kept", new VersionedValue(1, "whole"))).get();
            journal.append(Map.of("torn", new VersionedValue(2, "cut short by a crash"))).get();
        }
        Path file = directory.resolve(FIRST_SEGMENT);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(raw.length() - 7);
        }
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION)) {
            assertEquals(Map.of("kept", new VersionedValue(1, "whole")), reopened.state());
            reopened.append(Map.of("after", new VersionedValue(3, "written after the cut"))).get();
        }
        try (DiskJournal again = DiskJournal.open(directory, NO_COMPACTION)) {
            assertEquals(2, again.state().size(), "the frame written after the cut is readable: " + again.state());
        }
    }

    @Test
    void aFrameThatFailsItsChecksumEndsTheReplay() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION)) {
            journal.append(Map.of("first", new VersionedValue(1, "good"))).get();
            journal.append(Map.of("second", new VersionedValue(2, "flipped"))).get();
        }
        Path file = directory.resolve(FIRST_SEGMENT);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION)) {
            assertEquals(Map.of("first", new VersionedValue(1, "good")), reopened.state());
        }
    }

    @Test
    void fullSegmentsAreFoldedIntoASnapshotWhileWritesGoOnAndNothingIsLost() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, 4_096)) {
            for (int i = 0; i < 200; i++) {
                journal.append(Map.of("k" + (i % 50), new VersionedValue(i, "value " + i))).get();
            }
            assertEquals(50, journal.state().size(), "a reader sees everything while segments are folded");
        }
        assertTrue(Files.exists(directory.resolve("snapshot.bin")));
        try (Stream<Path> files = Files.list(directory)) {
            assertTrue(files.filter(file -> file.getFileName().toString().startsWith("journal-")).count() <= 2,
                    "folded segments are deleted");
        }
        try (DiskJournal reopened = DiskJournal.open(directory, 4_096)) {
            assertEquals(50, reopened.state().size());
            assertEquals(new VersionedValue(199, "value 199"), reopened.state().get("k49"));
        }
    }

    @Test
    void aSecondProcessCannotOpenTheSameDirectoryAndNeitherCanAForeignFile() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION)) {
            IOException busy = assertThrows(IOException.class, () -> DiskJournal.open(directory, NO_COMPACTION));
            assertTrue(busy.getMessage().contains("in use"), busy.getMessage());
        }
        Path foreign = directory.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve(FIRST_SEGMENT), "not a journal at all");
        IOException refused = assertThrows(IOException.class, () -> DiskJournal.open(foreign, NO_COMPACTION));
        assertTrue(refused.getMessage().contains("magic"), refused.getMessage());
    }

    @Test
    void aClosedJournalRefusesAppends() throws Exception {
        DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION);
        journal.close();
        assertTrue(journal.append(Map.of("late", new VersionedValue(1, "x"))).isCompletedExceptionally());
        assertFalse(Files.exists(directory.resolve("snapshot.bin")));
    }
}
