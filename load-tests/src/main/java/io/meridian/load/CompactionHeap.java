package io.meridian.load;

import io.meridian.registry.durable.DiskJournal;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.grid.DurableValues;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Whether a journal's compactions fit the heap this JVM was given: appends MIB mebibytes of distinct 1 KB values in
 * batches of a thousand to a journal of 32 MiB segments in a temporary directory, closes it (which waits for the
 * compaction under way), and prints the snapshot's size and the segments left. A compaction that ran out of heap
 * leaves its segments unfolded (and its {@link OutOfMemoryError} on the output). Argument: MIB. Run by
 * {@code load-tests/compaction-heap.sh}.
 */
public final class CompactionHeap {

    private static final long SEGMENT_BYTES = 32L << 20;

    private CompactionHeap() {
    }

    public static void main(String[] args) throws Exception {
        int mebibytes = Integer.parseInt(args[0]);
        Path directory = Files.createTempDirectory("compaction-heap");
        String value = "v".repeat(1000);
        try (DiskJournal journal = DiskJournal.open(directory, SEGMENT_BYTES, DurableValues.JOURNAL)) {
            int key = 0;
            for (int batch = 0; batch < mebibytes; batch++) {
                Map<String, VersionedValue> values = new HashMap<>();
                for (int i = 0; i < 1000; i++, key++) {
                    values.put("k" + key, new VersionedValue(key, value + key));
                }
                journal.append(values).get();
            }
        }
        Path snapshot = directory.resolve("snapshot.bin");
        System.out.printf("snapshot %,d bytes, %d segments left%n",
                Files.exists(snapshot) ? Files.size(snapshot) : 0, segments(directory));
        deleteAll(directory);
    }

    private static long segments(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("journal-")).count();
        }
    }

    private static void deleteAll(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
