package io.meridian.registry.durable;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * One member's copy of the durable state in its data directory: a snapshot ({@code snapshot.bin}) and the journal
 * segments written since ({@code journal-<n>.bin}), each a sequence of frames of length, CRC-32C and payload (a batch
 * as {@link JournalCodec} encodes it). {@link #appendEncoded} returns a future that completes once the batches are
 * forced to disk; batches that arrive while the disk is busy are forced together (group commit), so one
 * {@code fdatasync} serves many writers. The journal never decodes what it writes.
 *
 * <p>When the segment being written outgrows its bound, the writer moves on to a new one, and a compactor thread folds
 * the snapshot and the full segments into a new snapshot (written to a temporary file, forced, renamed over the old
 * one) and deletes those segments, while writes go on. Folding reads only the entries' keys and indexes and moves
 * their values' bytes as they are: a value is decoded only when {@link #state()} is asked for. Replaying a segment the
 * snapshot already holds changes nothing (the higher index wins), so a crash at any point of that leaves a readable
 * directory.
 *
 * <p>Opening replays the snapshot, then the segments in order, up to the first frame that is short or fails its CRC (a
 * write torn by a crash), which is cut. A snapshot is only ever renamed into place whole, so one that fails its CRC is
 * refused. A lock file keeps a second process (or node) off the same directory. Thread-safe.
 */
public final class DiskJournal implements AutoCloseable {

    /** The key under which a member keeps its journal in its Hazelcast user context, for {@link JournalAppend}. */
    public static final String USER_CONTEXT_KEY = "meridian-journal";

    private static final Logger LOG = Logger.getLogger(DiskJournal.class.getName());
    private static final byte[] JOURNAL_MAGIC = "MRDNJRN1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_MAGIC = "MRDNSNP1".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{12})\\.bin");
    private static final int MAX_BATCHES_PER_FORCE = 4096;
    private static final int STREAM_BUFFER = 1 << 16;

    private final Path directory;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final long segmentBytes;
    private final JournalCodec codec;
    /**
     * Held while the files are read whole, while a segment is created, and while a compaction swaps the snapshot and
     * deletes segments.
     */
    private final Object files = new Object();
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final ExecutorService compactor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meridian-journal-compactor");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread writer;
    /** The segment being written and its number; written by the writer thread only. */
    private FileChannel segment;
    private long segmentNumber;
    private volatile IOException failure;
    private volatile boolean closed;

    private DiskJournal(Path directory, FileChannel lockFile, FileLock lock, long segmentBytes, JournalCodec codec)
            throws IOException {
        this.directory = directory;
        this.lockFile = lockFile;
        this.lock = lock;
        this.segmentBytes = segmentBytes;
        this.codec = codec;
        openLastSegment();
        this.writer = new Thread(this::writeLoop, "meridian-journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens the journal in the directory, creating both if need be, and checks what it holds.
     *
     * @param segmentBytes the segment size past which the writer moves on to a new segment and the full ones are
     *                     folded into the snapshot
     * @param codec        the form of the batches, which every member's writers must use too
     * @throws IOException if the directory cannot be used, another process holds it, or its snapshot is damaged
     */
    public static DiskJournal open(Path directory, long segmentBytes, JournalCodec codec) throws IOException {
        Files.createDirectories(directory);
        FileChannel lockFile = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockFile.close();
            throw new IOException("the data directory " + directory + " is in use by another process");
        }
        try {
            return new DiskJournal(directory, lockFile, lock, segmentBytes, codec);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockFile.close();
            throw e;
        }
    }

    /**
     * Checks the snapshot and every segment, cuts a torn last frame, and positions the writer after the last whole
     * frame of the newest segment (or on a new first one).
     */
    private void openLastSegment() throws IOException {
        readSnapshot(new HashMap<>());
        List<Long> numbers = segmentNumbers();
        for (long number : numbers) {
            Path file = segmentPath(number);
            long size = Files.size(file);
            long valid = FrameReplay.replay(file, JOURNAL_MAGIC, codec, new HashMap<>());
            if (valid < size) {
                LOG.warning("journal " + file + ": cutting a torn write of " + (size - valid) + " bytes");
                try (FileChannel torn = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    torn.truncate(valid);
                    torn.force(true);
                }
            }
        }
        startSegment(numbers.isEmpty() ? 1 : numbers.get(numbers.size() - 1));
    }

    /** Opens segment {@code number} to write, creating it whole (magic number and all) where {@link #state} reads. */
    private void startSegment(long number) throws IOException {
        FileChannel channel;
        synchronized (files) {
            channel = FileChannel.open(segmentPath(number), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.size() == 0) {
                channel.write(ByteBuffer.wrap(JOURNAL_MAGIC));
                channel.force(true);
                forceDirectory();
            }
        }
        channel.position(channel.size());
        segment = channel;
        segmentNumber = number;
    }

    /** Queues the batch, encoded; see {@link #appendEncoded}. */
    public CompletableFuture<Void> append(Map<String, VersionedValue> batch) {
        return appendEncoded(List.of(codec.encode(batch)));
    }

    /**
     * Queues batches the journal's {@link JournalCodec} encoded; the future completes once they are on disk, or fails
     * if the disk failed (after which every append fails: a member whose disk fails acknowledges nothing more).
     */
    public CompletableFuture<Void> appendEncoded(List<byte[]> batches) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed || failure != null) {
            done.completeExceptionally(failure != null ? failure : new IOException("the journal is closed"));
            return done;
        }
        pending.add(new Pending(batches.stream().map(DiskJournal::frame).toList(), done));
        return done;
    }

    /**
     * The newest value of every key that is on disk, read from the files; only those values are decoded.
     *
     * @throws IOException if a file cannot be read, or a value is not one the journal's codec reads
     */
    public Map<String, VersionedValue> state() throws IOException {
        Map<String, EncodedValue> state = new HashMap<>();
        synchronized (files) {
            readSnapshot(state);
            for (long number : segmentNumbers()) {
                FrameReplay.replay(segmentPath(number), JOURNAL_MAGIC, codec, state);
            }
        }
        return codec.decode(state);
    }

    public Path directory() {
        return directory;
    }

    private void writeLoop() {
        List<Pending> batches = new ArrayList<>();
        while (!closed || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batches.add(first);
                pending.drainTo(batches, MAX_BATCHES_PER_FORCE);
                force(batches);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batches.clear();
            }
        }
    }

    private void force(List<Pending> batches) {
        try {
            if (failure != null) {
                throw failure;
            }
            int bytes = batches.stream().flatMap(batch -> batch.frames().stream()).mapToInt(frame -> frame.length)
                    .sum();
            ByteBuffer buffer = ByteBuffer.allocate(bytes);
            batches.forEach(batch -> batch.frames().forEach(buffer::put));
            buffer.flip();
            while (buffer.hasRemaining()) {
                segment.write(buffer);
            }
            segment.force(false);
            batches.forEach(batch -> batch.done().complete(null));
            if (segment.size() > segmentBytes) {
                segment.close();
                startSegment(segmentNumber + 1);
                long firstKept = segmentNumber;
                compactor.execute(() -> compactBefore(firstKept));
            }
        } catch (IOException e) {
            if (failure == null) {
                LOG.log(Level.SEVERE, "the journal in " + directory + " failed: this member acknowledges no more"
                        + " writes", e);
                failure = e;
            }
            batches.forEach(batch -> batch.done().completeExceptionally(e));
        }
    }

    /**
     * Folds the snapshot and every segment numbered below {@code firstKept} into a new snapshot, then deletes those
     * segments. Runs on the compactor thread while the writer goes on in segment {@code firstKept}.
     */
    private void compactBefore(long firstKept) {
        try {
            Map<String, EncodedValue> folded = new HashMap<>();
            readSnapshot(folded);
            List<Long> full = segmentNumbers().stream().filter(number -> number < firstKept).toList();
            for (long number : full) {
                FrameReplay.replay(segmentPath(number), JOURNAL_MAGIC, codec, folded);
            }
            Path temporary = directory.resolve("snapshot.tmp");
            writeSnapshot(temporary, folded);
            synchronized (files) {
                Files.move(temporary, directory.resolve("snapshot.bin"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                forceDirectory();
                for (long number : full) {
                    Files.delete(segmentPath(number));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not compact the journal in " + directory + "; its segments are kept and"
                    + " folded at the next compaction", e);
        }
    }

    /**
     * Writes the state to the file as a snapshot of one frame, and forces it. The frame's payload is streamed to the
     * file and its header written after it: no encoded copy of the whole state is held in memory, where the folded
     * state itself already is.
     */
    private void writeSnapshot(Path file, Map<String, EncodedValue> state) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            int payloadStart = SNAPSHOT_MAGIC.length + FrameReplay.FRAME_HEADER;
            out.position(payloadStart);
            CRC32C crc = new CRC32C();
            OutputStream payload = new CheckedOutputStream(new BufferedOutputStream(Channels.newOutputStream(out),
                    STREAM_BUFFER), crc);
            codec.encodeTo(state, payload);
            long length = out.position() - payloadStart;
            if (length > Integer.MAX_VALUE) {
                throw new IOException("the durable state (" + length + " bytes encoded) outgrew a snapshot's frame");
            }
            ByteBuffer head = ByteBuffer.allocate(payloadStart).put(SNAPSHOT_MAGIC).putInt((int) length)
                    .putInt((int) crc.getValue()).flip();
            while (head.hasRemaining()) {
                out.write(head, head.position());
            }
            out.force(true);
        }
    }

    /** Merges the snapshot, if there is one, into the state. */
    private void readSnapshot(Map<String, EncodedValue> state) throws IOException {
        Path snapshot = directory.resolve("snapshot.bin");
        if (Files.exists(snapshot)) {
            if (FrameReplay.replay(snapshot, SNAPSHOT_MAGIC, codec, state) != Files.size(snapshot)) {
                throw new IOException("the snapshot " + snapshot + " is damaged");
            }
        }
    }

    private List<Long> segmentNumbers() throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> SEGMENT.matcher(path.getFileName().toString()))
                    .filter(Matcher::matches).map(match -> Long.parseLong(match.group(1))).sorted().toList();
        }
    }

    private Path segmentPath(long number) {
        return directory.resolve(String.format("journal-%012d.bin", number));
    }

    private void forceDirectory() throws IOException {
        try (FileChannel directoryEntry = FileChannel.open(directory, StandardOpenOption.READ)) {
            directoryEntry.force(true);
        }
    }

    private static byte[] frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(FrameReplay.FRAME_HEADER + payload.length).putInt(payload.length)
                .putInt((int) crc.getValue()).put(payload).array();
    }

    /** Forces what is queued, waits for a compaction under way, then releases the directory. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
            compactor.shutdown();
            compactor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending left;
        while ((left = pending.poll()) != null) {
            left.done().completeExceptionally(new IOException("the journal was closed"));
        }
        try {
            segment.close();
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the journal in " + directory, e);
        }
    }

    private record Pending(List<byte[]> frames, CompletableFuture<Void> done) {
    }
}
