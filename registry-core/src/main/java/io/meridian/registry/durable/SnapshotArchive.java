package io.meridian.registry.durable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The format of {@code GET /v1/snapshot} and {@code PUT /v1/snapshot}: a text header of four lines, a blank line,
 * then the payload.
 * <pre>
 * MERIDIAN-SNAPSHOT 1
 * index 1796002397196930
 * sha256 9f2c...(64 hex digits of the payload's SHA-256)
 * length 48213
 *
 * (length bytes: the durable state, gzip-compressed)
 * </pre>
 * The state is the one {@link StateCodec} writes: every service part of the registry under
 * {@code registry/<shard>/<namespace>/<service>} and the ACL state under {@code acl}, each with the index of the write
 * that made it; {@code index} is the highest of them. Reading checks the magic line, the length, the checksum and the
 * content before it returns anything, so a truncated, corrupted or foreign file is refused whole.
 */
public final class SnapshotArchive {

    private static final String MAGIC = "MERIDIAN-SNAPSHOT 1";
    private static final int MAX_HEADER_LINE = 200;

    private SnapshotArchive() {
    }

    /** The snapshot of the state, as bytes; its index is the highest index in the state. */
    public static byte[] write(Map<String, VersionedValue> state) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(payload)) {
            StateCodec.encodeTo(state, gzip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = payload.toByteArray();
        long index = state.values().stream().mapToLong(VersionedValue::index).max().orElse(0);
        String header = MAGIC + "\nindex " + index + "\nsha256 " + HexFormat.of().formatHex(sha256(body))
                + "\nlength " + body.length + "\n\n";
        ByteArrayOutputStream archive = new ByteArrayOutputStream(header.length() + body.length);
        archive.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        archive.writeBytes(body);
        return archive.toByteArray();
    }

    /**
     * Reads a whole snapshot of at most {@code maxBytes}.
     *
     * @throws InvalidSnapshotException if it is not a whole, intact Meridian snapshot
     */
    public static Map<String, VersionedValue> read(InputStream in, long maxBytes) throws IOException {
        Header header = Header.read(in);
        if (header.length() > maxBytes) {
            throw new InvalidSnapshotException("the snapshot states a payload of " + header.length()
                    + " bytes, more than the " + maxBytes + " this node accepts");
        }
        byte[] body = in.readNBytes((int) header.length());
        if (body.length < header.length()) {
            throw new InvalidSnapshotException("the snapshot is truncated: " + body.length + " of "
                    + header.length() + " payload bytes");
        }
        if (in.read() != -1) {
            throw new InvalidSnapshotException("the snapshot has bytes past its stated length");
        }
        if (!MessageDigest.isEqual(sha256(body), header.sha256())) {
            throw new InvalidSnapshotException("the snapshot's payload does not match its SHA-256: it is corrupted");
        }
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return StateCodec.decodeFrom(gzip);
        } catch (IOException e) {
            throw new InvalidSnapshotException("the snapshot's payload is not Meridian state: " + e.getMessage());
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private record Header(long index, byte[] sha256, long length) {

        static Header read(InputStream in) throws IOException {
            if (!MAGIC.equals(line(in))) {
                throw new InvalidSnapshotException("not a Meridian snapshot: it does not start with '" + MAGIC + "'");
            }
            try {
                long index = Long.parseLong(field(in, "index"));
                byte[] sha256 = HexFormat.of().parseHex(field(in, "sha256"));
                long length = Long.parseLong(field(in, "length"));
                if (!line(in).isEmpty() || sha256.length != 32 || length < 0 || length > Integer.MAX_VALUE) {
                    throw new InvalidSnapshotException("the snapshot's header is malformed");
                }
                return new Header(index, sha256, length);
            } catch (IllegalArgumentException e) {
                throw new InvalidSnapshotException("the snapshot's header is malformed: " + e.getMessage());
            }
        }

        private static String field(InputStream in, String name) throws IOException {
            String line = line(in);
            if (!line.startsWith(name + " ")) {
                throw new InvalidSnapshotException("the snapshot's header lacks its '" + name + "' line");
            }
            return line.substring(name.length() + 1);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int next;
            while ((next = in.read()) != '\n') {
                if (next == -1 || line.length() >= MAX_HEADER_LINE) {
                    throw new InvalidSnapshotException("the snapshot's header is truncated or malformed");
                }
                line.append((char) next);
            }
            return line.toString();
        }
    }
}
