package io.meridian.registry.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * One member's copy of the durable state in its data directory: a snapshot ({@code snapshot.bin}) and the batches
 * written since ({@code journal.bin}), each a frame of length, CRC-32C and payload (a batch as {@link StateCodec}
 * encodes it). {@link #appendEncoded} returns a future that completes once the batches are forced to disk; batches that
 * arrive while the disk is busy are forced together (group commit), so one {@code fdatasync} serves many writers. The
 * journal never decodes what it writes: the state is read from disk when it is asked for ({@link #state()}) and when
 * the journal outgrows its bound, at which point the whole state is written to a new snapshot (to a temporary file,
 * forced, then renamed over the old one) and the journal starts again empty.
 *
 * <p>Opening replays the snapshot and then the journal. A crash can leave the journal's last frame torn; replay stops
 * at the first frame that is short or fails its CRC and cuts the file there, which loses only a batch whose future
 * never completed. A snapshot is only ever renamed into place whole, so one that fails its CRC is refused. A lock file
 * keeps a second process (or node) off the same directory. Thread-safe.
 */
public final class DiskJournal implements AutoCloseable {

    /** The key under which a member keeps its journal in its Hazelcast user context, for {@link JournalAppend}. */
    public static final String USER_CONTEXT_KEY = "meridian-journal";

    private static final Logger LOG = Logger.getLogger(DiskJournal.class.getName());
    private static final byte[] JOURNAL_MAGIC = "MRDNJRN1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_MAGIC = "MRDNSNP1".getBytes(StandardCharsets.US_ASCII);
    private static final int FRAME_HEADER = 8;
    private static final int MAX_BATCHES_PER_FORCE = 4096;

    private final Path directory;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final FileChannel journal;
    private final long compactAfterBytes;
    /** Held while the files are read whole or compacted, so that a reader never sees a half-done compaction. */
    private final Object files = new Object();
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile IOException failure;
    private volatile boolean closed;

    private DiskJournal(Path directory, FileChannel lockFile, FileLock lock, FileChannel journal,
                        long compactAfterBytes) {
        this.directory = directory;
        this.lockFile = lockFile;
        this.lock = lock;
        this.journal = journal;
        this.compactAfterBytes = compactAfterBytes;
        this.writer = new Thread(this::writeLoop, "meridian-journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens the journal in the directory, creating both if need be, and replays what it holds.
     *
     * @param compactAfterBytes the journal size past which the state is written to a new snapshot
     * @throws IOException if the directory cannot be used, another process holds it, or its snapshot is damaged
     */
    public static DiskJournal open(Path directory, long compactAfterBytes) throws IOException {
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
            readSnapshot(directory, new HashMap<>());
            FileChannel journal = openJournal(directory.resolve("journal.bin"));
            return new DiskJournal(directory, lockFile, lock, journal, compactAfterBytes);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockFile.close();
            throw e;
        }
    }

    /** Merges the snapshot, if there is one, into the state. */
    private static void readSnapshot(Path directory, Map<String, VersionedValue> state) throws IOException {
        Path snapshot = directory.resolve("snapshot.bin");
        if (Files.exists(snapshot)) {
            byte[] bytes = Files.readAllBytes(snapshot);
            if (replay(bytes, SNAPSHOT_MAGIC, state) != bytes.length) {
                throw new IOException("the snapshot " + snapshot + " is damaged");
            }
        }
    }

    /** Opens the journal positioned after its last whole frame, having cut a torn one. */
    private static FileChannel openJournal(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (channel.size() == 0) {
            channel.write(ByteBuffer.wrap(JOURNAL_MAGIC));
            channel.force(true);
            return channel;
        }
        byte[] bytes = Files.readAllBytes(file);
        long valid = replay(bytes, JOURNAL_MAGIC, new HashMap<>());
        if (valid < bytes.length) {
            LOG.warning("journal " + file + ": cutting a torn last write of " + (bytes.length - valid) + " bytes");
            channel.truncate(valid);
            channel.force(true);
        }
        channel.position(valid);
        return channel;
    }

    /** Merges every whole frame into the state; returns where the whole frames end. */
    private static long replay(byte[] bytes, byte[] magic, Map<String, VersionedValue> state) throws IOException {
        if (bytes.length < magic.length || !Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            throw new IOException("not a Meridian journal or snapshot (wrong magic number)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int position = magic.length;
        while (position + FRAME_HEADER <= bytes.length) {
            int length = buffer.getInt(position);
            int checksum = buffer.getInt(position + 4);
            if (length < 0 || length > bytes.length - position - FRAME_HEADER) {
                break;
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, position + FRAME_HEADER, length);
            if ((int) crc.getValue() != checksum) {
                break;
            }
            StateCodec.decode(Arrays.copyOfRange(bytes, position + FRAME_HEADER, position + FRAME_HEADER + length))
                    .forEach((key, value) -> VersionedValue.mergeInto(state, key, value));
            position += FRAME_HEADER + length;
        }
        return position;
    }

    /** Queues the batch, encoded; see {@link #appendEncoded}. */
    public CompletableFuture<Void> append(Map<String, VersionedValue> batch) {
        return appendEncoded(List.of(StateCodec.encode(batch)));
    }

    /**
     * Queues batches {@link StateCodec} encoded; the future completes once they are on disk, or fails if the disk
     * failed (after which every append fails: a member whose disk fails acknowledges nothing more).
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

    /** The newest value of every key that is on disk, read from the files. */
    public Map<String, VersionedValue> state() throws IOException {
        synchronized (files) {
            Map<String, VersionedValue> state = new HashMap<>();
            readSnapshot(directory, state);
            replay(Files.readAllBytes(directory.resolve("journal.bin")), JOURNAL_MAGIC, state);
            return state;
        }
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
                journal.write(buffer);
            }
            journal.force(false);
            batches.forEach(batch -> batch.done().complete(null));
            if (journal.size() > compactAfterBytes) {
                compact();
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

    /** Writes the whole state to a new snapshot and empties the journal; runs on the writer thread. */
    private void compact() throws IOException {
        synchronized (files) {
            writeSnapshot(state());
            journal.truncate(JOURNAL_MAGIC.length);
            journal.position(JOURNAL_MAGIC.length);
            journal.force(true);
        }
    }

    private void writeSnapshot(Map<String, VersionedValue> state) throws IOException {
        Path temporary = directory.resolve("snapshot.tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(SNAPSHOT_MAGIC));
            ByteBuffer frame = ByteBuffer.wrap(frame(StateCodec.encode(state)));
            while (frame.hasRemaining()) {
                out.write(frame);
            }
            out.force(true);
        }
        Files.move(temporary, directory.resolve("snapshot.bin"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directoryEntry = FileChannel.open(directory, StandardOpenOption.READ)) {
            directoryEntry.force(true);
        }
    }

    private static byte[] frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(FRAME_HEADER + payload.length).putInt(payload.length).putInt((int) crc.getValue())
                .put(payload).array();
    }

    /** Forces what is queued, then releases the directory. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending left;
        while ((left = pending.poll()) != null) {
            left.done().completeExceptionally(new IOException("the journal was closed"));
        }
        try {
            journal.close();
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the journal in " + directory, e);
        }
    }

    private record Pending(List<byte[]> frames, CompletableFuture<Void> done) {
    }
}
