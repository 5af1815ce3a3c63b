package io.meridian.registry.durable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskJournalTest {

    private static final long NO_COMPACTION = Long.MAX_VALUE;
    private static final JournalCodec CODEC = new JournalCodec(ValueCodec.JAVA);
    private static final String FIRST_SEGMENT = "journal-000000000001.bin";

    @TempDir
    Path directory;

    @Test
    void whatWasForcedIsThereAfterReopeningAndTheHigherIndexWins() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            journal.append(Map.of("a", new VersionedValue(5, "a@5"), "b", new VersionedValue(1, "b@1"))).get();
            journal.append(Map.of("a", new VersionedValue(3, "a@3 arrives late"))).get();
            journal.append(Map.of("b", new VersionedValue(2, "b@2"))).get();
        }
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            assertEquals(Map.of("a", new VersionedValue(5, "a@5"), "b", new VersionedValue(2, "b@2")),
                    reopened.state());
        }
    }

    @Test
    void manyConcurrentAppendsAllCompleteAndAllSurvive() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            CompletableFuture.allOf(IntStream.range(0, 2_000).parallel()
                    .mapToObj(i -> journal.append(Map.of("k" + i, new VersionedValue(i, "v" + i))))
                    .toArray(CompletableFuture[]::new)).get();
        }
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            assertEquals(2_000, reopened.state().size());
            assertEquals(new VersionedValue(1_999, "v1999"), reopened.state().get("k1999"));
        }
    }

    @Test
    void aTornLastWriteIsCutAndTheJournalTakesWritesAgain() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            journal.append(Map.of("kept", new VersionedValue(1, "whole"))).get();
            journal.append(Map.of("torn", new VersionedValue(2, "cut short by a crash"))).get();
        }
        Path file = directory.resolve(FIRST_SEGMENT);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(raw.length() - 7);
        }
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            assertEquals(Map.of("kept", new VersionedValue(1, "whole")), reopened.state());
            reopened.append(Map.of("after", new VersionedValue(3, "written after the cut"))).get();
        }
        try (DiskJournal again = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            assertEquals(2, again.state().size(), "the frame written after the cut is readable: " + again.state());
        }
    }

    @Test
    void aFrameThatFailsItsChecksumEndsTheReplay() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            journal.append(Map.of("first", new VersionedValue(1, "good"))).get();
            journal.append(Map.of("second", new VersionedValue(2, "flipped"))).get();
        }
        Path file = directory.resolve(FIRST_SEGMENT);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            assertEquals(Map.of("first", new VersionedValue(1, "good")), reopened.state());
        }
    }

    @Test
    void fullSegmentsAreFoldedIntoASnapshotWhileWritesGoOnAndNothingIsLost() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, 4_096, CODEC)) {
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
        try (DiskJournal reopened = DiskJournal.open(directory, 4_096, CODEC)) {
            assertEquals(50, reopened.state().size());
            assertEquals(new VersionedValue(199, "value 199"), reopened.state().get("k49"));
        }
    }

    @Test
    void aSecondProcessCannotOpenTheSameDirectoryAndNeitherCanAForeignFile() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            IOException busy = assertThrows(IOException.class, () -> DiskJournal.open(directory, NO_COMPACTION, CODEC));
            assertTrue(busy.getMessage().contains("in use"), busy.getMessage());
        }
        Path foreign = directory.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve(FIRST_SEGMENT), "not a journal at all");
        IOException refused = assertThrows(IOException.class, () -> DiskJournal.open(foreign, NO_COMPACTION, CODEC));
        assertTrue(refused.getMessage().contains("magic"), refused.getMessage());
    }

    /**
     * The state is read while writes go on and move to new segments (a snapshot saved, a member syncing its disk): a
     * segment is never seen before it is a journal, and every value acknowledged before the read is in it.
     */
    @Test
    void theStateReadWhileTheWriterMovesOnToNewSegmentsHoldsEveryAcknowledgedValue() throws Exception {
        try (DiskJournal journal = DiskJournal.open(directory, 1, CODEC)) {
            AtomicInteger acknowledged = new AtomicInteger();
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> IntStream.range(1, 300).forEach(i -> {
                journal.append(Map.of("k" + i, new VersionedValue(i, "v" + i))).join();
                acknowledged.incrementAndGet();
            }));
            while (!writes.isDone()) {
                int acknowledgedBefore = acknowledged.get();
                int read = journal.state().size();
                assertTrue(read >= acknowledgedBefore,
                        read + " values read after " + acknowledgedBefore + " were acknowledged");
            }
            writes.join();
            assertEquals(299, journal.state().size());
        }
    }

    @Test
    void aClosedJournalRefusesAppends() throws Exception {
        DiskJournal journal = DiskJournal.open(directory, NO_COMPACTION, CODEC);
        journal.close();
        assertTrue(journal.append(Map.of("late", new VersionedValue(1, "x"))).isCompletedExceptionally());
        assertFalse(Files.exists(directory.resolve("snapshot.bin")));
    }

    /**
     * A member upgraded in place opens a journal whose snapshot and segments were written in the Java form: it reads
     * them, takes new batches in the binary form next to them, and folds both into a binary snapshot.
     */
    @Test
    void aJournalWrittenInTheJavaFormIsReadAndFoldedIntoTheBinaryForm() throws Exception {
        writeJavaForm(directory.resolve("snapshot.bin"), "MRDNSNP1", Map.of("a", new VersionedValue(1, "a@1"),
                "b", new VersionedValue(1, "b@1")));
        writeJavaForm(directory.resolve(FIRST_SEGMENT), "MRDNJRN1", Map.of("b", new VersionedValue(2, "b@2")),
                Map.of("c", new VersionedValue(3, "c@3")));
        Map<String, VersionedValue> expected = Map.of("a", new VersionedValue(1, "a@1"),
                "b", new VersionedValue(4, "b@4"), "c", new VersionedValue(3, "c@3"));
        try (DiskJournal journal = DiskJournal.open(directory, 64, CODEC)) {
            assertEquals(3, journal.state().size());
            journal.append(Map.of("b", new VersionedValue(4, "b@4"))).get();
            assertEquals(expected, journal.state());
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertFalse(files.anyMatch(file -> file.getFileName().toString().equals(FIRST_SEGMENT)),
                    "the Java-form segment was folded into the snapshot");
        }
        byte[] snapshot = Files.readAllBytes(directory.resolve("snapshot.bin"));
        assertEquals("MB", new String(snapshot, 16, 2, StandardCharsets.US_ASCII),
                "the snapshot is in the binary form");
        try (DiskJournal reopened = DiskJournal.open(directory, NO_COMPACTION, CODEC)) {
            assertEquals(expected, reopened.state());
        }
    }

    /**
     * Folding moves values as bytes: a compaction must succeed where no value could be decoded, and only a read of
     * the state decodes them.
     */
    @Test
    void foldingSegmentsIntoASnapshotDecodesNoValue() throws Exception {
        ValueCodec undecodable = new ValueCodec() {
            @Override
            public byte[] encode(Serializable value) {
                return ValueCodec.JAVA.encode(value);
            }

            @Override
            public Serializable decode(byte[] bytes) throws IOException {
                throw new IOException("no value is decoded while segments are folded");
            }
        };
        try (DiskJournal journal = DiskJournal.open(directory, 4_096, new JournalCodec(undecodable))) {
            for (int i = 0; i < 200; i++) {
                journal.append(Map.of("k" + (i % 50), new VersionedValue(i, "value " + i))).get();
            }
        }
        assertTrue(Files.exists(directory.resolve("snapshot.bin")), "segments were folded");
        try (DiskJournal reopened = DiskJournal.open(directory, 4_096, CODEC)) {
            assertEquals(50, reopened.state().size());
            assertEquals(new VersionedValue(199, "value 199"), reopened.state().get("k49"));
        }
        try (DiskJournal undecoding = DiskJournal.open(directory, 4_096, new JournalCodec(undecodable))) {
            assertThrows(IOException.class, undecoding::state);
        }
    }

    /** A file as journals before the binary form wrote it: magic, then one frame per batch in the Java form. */
    @SafeVarargs
    private static void writeJavaForm(Path file, String magic, Map<String, VersionedValue>... batches)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(magic.getBytes(StandardCharsets.US_ASCII));
        for (Map<String, VersionedValue> batch : batches) {
            ByteArrayOutputStream javaForm = new ByteArrayOutputStream();
            StateCodec.encodeTo(batch, javaForm);
            byte[] payload = javaForm.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(payload);
            bytes.writeBytes(ByteBuffer.allocate(8).putInt(payload.length).putInt((int) crc.getValue()).array());
            bytes.writeBytes(payload);
        }
        Files.write(file, bytes.toByteArray());
    }
}
