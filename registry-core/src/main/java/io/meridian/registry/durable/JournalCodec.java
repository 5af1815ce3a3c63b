package io.meridian.registry.durable;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The binary form of a batch of durable state, in which journals and their snapshots are written: a tag, the number of
 * entries, then each entry's key, index and value bytes (as the {@link ValueCodec} wrote them), length first. A reader
 * can so take the entries' keys and indexes without decoding a single value, which is all that folding segments into a
 * snapshot needs. Reading also takes the Java form of {@link StateCodec}, which journals written before this form
 * hold, and tells the two apart by their first bytes. Thread-safe.
 */
public final class JournalCodec {

    /** The first bytes of the binary form; Java serialization's stream magic ({@code 0xACED}) differs in both. */
    private static final byte[] TAG = {'M', 'B', 1};
    private static final int JAVA_STREAM_MAGIC = 0xACED;

    private final ValueCodec values;

    public JournalCodec(ValueCodec values) {
        this.values = values;
    }

    /** The batch in the binary form, each value encoded once. */
    public byte[] encode(Map<String, VersionedValue> batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try {
            DataOutputStream out = start(bytes, batch.size());
            for (Map.Entry<String, VersionedValue> entry : batch.entrySet()) {
                writeEntry(out, entry.getKey(), entry.getValue().index(), values.encode(entry.getValue().value()));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a batch of durable state", e);
        }
        return bytes.toByteArray();
    }

    /** Writes state whose values are already encoded in the binary form, and flushes; the stream stays open. */
    void encodeTo(Map<String, EncodedValue> state, OutputStream stream) throws IOException {
        DataOutputStream out = start(stream, state.size());
        for (Map.Entry<String, EncodedValue> entry : state.entrySet()) {
            writeEntry(out, entry.getKey(), entry.getValue().index(), entry.getValue().bytes());
        }
        out.flush();
    }

    /**
     * Reads one batch, in either form, to its end, leaving its values encoded; a batch in the Java form is decoded and
     * its values encoded again. The stream stays open.
     *
     * @throws IOException if the stream does not hold a batch of durable state
     */
    Map<String, EncodedValue> read(InputStream stream) throws IOException {
        PushbackInputStream in = new PushbackInputStream(stream, 2);
        byte[] first = in.readNBytes(2);
        in.unread(first);
        Map<String, EncodedValue> batch = new HashMap<>();
        if (first.length == 2 && ((first[0] & 0xFF) << 8 | first[1] & 0xFF) == JAVA_STREAM_MAGIC) {
            StateCodec.decodeFrom(in).forEach((key, value) ->
                    batch.put(key, new EncodedValue(value.index(), values.encode(value.value()))));
            return batch;
        }
        DataInputStream data = new DataInputStream(in);
        byte[] tag = data.readNBytes(TAG.length);
        if (!Arrays.equals(tag, TAG)) {
            throw new IOException("not a batch of durable state (unknown form)");
        }
        int entries = data.readInt();
        if (entries < 0) {
            throw new IOException("not a batch of durable state (" + entries + " entries)");
        }
        for (int i = 0; i < entries; i++) {
            String key = data.readUTF();
            long index = data.readLong();
            int length = data.readInt();
            if (length < 0) {
                throw new IOException("not a batch of durable state (a value of " + length + " bytes)");
            }
            byte[] value = data.readNBytes(length);
            if (value.length < length) {
                throw new IOException("a batch of durable state ends inside a value");
            }
            EncodedValue.mergeInto(batch, key, new EncodedValue(index, value));
        }
        return batch;
    }

    /**
     * The state with its values decoded.
     *
     * @throws IOException if a value is not one the {@link ValueCodec} reads
     */
    Map<String, VersionedValue> decode(Map<String, EncodedValue> state) throws IOException {
        Map<String, VersionedValue> decoded = new HashMap<>(state.size() * 2);
        for (Map.Entry<String, EncodedValue> entry : state.entrySet()) {
            decoded.put(entry.getKey(), new VersionedValue(entry.getValue().index(),
                    values.decode(entry.getValue().bytes())));
        }
        return decoded;
    }

    private static DataOutputStream start(OutputStream stream, int entries) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.write(TAG);
        out.writeInt(entries);
        return out;
    }

    private static void writeEntry(DataOutputStream out, String key, long index, byte[] value) throws IOException {
        out.writeUTF(key);
        out.writeLong(index);
        out.writeInt(value.length);
        out.write(value);
    }
}
