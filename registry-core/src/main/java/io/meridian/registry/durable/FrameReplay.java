package io.meridian.registry.durable;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Reads a journal segment or a snapshot as {@link DiskJournal} writes them: a magic number, then frames of length,
 * CRC-32C and payload (a batch in either form {@link JournalCodec} reads). Each frame is read as it comes from the
 * file, its values left encoded, so that neither the file nor a frame (a snapshot is one frame of the whole state) is
 * held in memory besides the entries it holds. Stateless.
 */
final class FrameReplay {

    static final int FRAME_HEADER = 8;
    private static final int READ_BUFFER = 1 << 16;

    private FrameReplay() {
    }

    /**
     * Merges every whole frame of the file into the state (the higher index wins), up to the first frame that is short
     * or fails its checksum (a write torn by a crash).
     *
     * @return where the whole frames end: the file's size unless a torn write follows them
     * @throws IOException if the file does not start with the magic number, or a whole frame is not durable state
     */
    static long replay(Path file, byte[] magic, JournalCodec codec, Map<String, EncodedValue> state)
            throws IOException {
        long size = Files.size(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file),
                READ_BUFFER))) {
            if (size < magic.length || !Arrays.equals(in.readNBytes(magic.length), magic)) {
                throw new IOException("not a Meridian journal or snapshot (wrong magic number)");
            }
            long position = magic.length;
            while (position + FRAME_HEADER <= size) {
                int length = in.readInt();
                int checksum = in.readInt();
                if (length < 0 || length > size - position - FRAME_HEADER) {
                    break;
                }
                Optional<Map<String, EncodedValue>> batch = readFrame(in, length, checksum, codec);
                if (batch.isEmpty()) {
                    break;
                }
                batch.get().forEach((key, value) -> EncodedValue.mergeInto(state, key, value));
                position += FRAME_HEADER + length;
            }
            return position;
        }
    }

    /**
     * The frame's batch, read as its bytes come; empty if they fail their checksum. Bytes that cannot be read are a
     * torn write if they fail their checksum too, and a damaged file if they pass it.
     */
    private static Optional<Map<String, EncodedValue>> readFrame(InputStream in, int length, int checksum,
                                                                 JournalCodec codec) throws IOException {
        CheckedInputStream payload = new CheckedInputStream(new Bounded(in, length), new CRC32C());
        Map<String, EncodedValue> batch;
        try {
            batch = codec.read(payload);
        } catch (IOException undecodable) {
            payload.transferTo(OutputStream.nullOutputStream());
            if ((int) payload.getChecksum().getValue() != checksum) {
                return Optional.empty();
            }
            throw undecodable;
        }
        payload.transferTo(OutputStream.nullOutputStream());
        return (int) payload.getChecksum().getValue() == checksum ? Optional.of(batch) : Optional.empty();
    }

    /** The next {@code remaining} bytes of a stream, which it leaves open. */
    private static final class Bounded extends InputStream {

        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int read = in.read();
            if (read >= 0) {
                remaining--;
            }
            return read;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return length == 0 ? 0 : -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }
    }
}
