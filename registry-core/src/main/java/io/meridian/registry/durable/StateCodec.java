package io.meridian.registry.durable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a batch of durable state ({@code key -> VersionedValue}) into bytes and back, with Java serialization of the
 * registry's model records. Reading accepts only the model's classes and the JDK's collections and value types, so
 * bytes from a file or a request cannot make it build anything else, and no array longer than {@value #MOST_ELEMENTS}
 * elements: a collection's serial form states its size, which reading allocates before any element arrives, so a few
 * bytes claiming billions would otherwise end in an {@link OutOfMemoryError} (a map's table of that many slots holds
 * about 12 million entries).
 */
public final class StateCodec {

    /** The longest array (a list's elements, a map's table) a reader of serialized model classes should accept. */
    public static final int MOST_ELEMENTS = 1 << 24;
    private static final ObjectInputFilter MODEL_ONLY = ObjectInputFilter.Config.createFilter(
            "maxdepth=24;maxrefs=100000000;maxarray=" + MOST_ELEMENTS + ";io.meridian.registry.**;io.meridian.acl.**;"
                    + "java.util.*;java.lang.*;java.time.*;!*");

    private StateCodec() {
    }

    public static byte[] encode(Map<String, VersionedValue> state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try {
            encodeTo(state, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize the durable state", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes what {@link #encode} returns to the stream, and flushes it; the stream stays open. For a large state:
     * no copy of its encoded form is held in memory.
     */
    public static void encodeTo(Map<String, VersionedValue> state, OutputStream stream) throws IOException {
        ObjectOutputStream out = new ObjectOutputStream(stream);
        out.writeObject(state.getClass() == HashMap.class ? state : new HashMap<>(state));
        out.flush();
    }

    /** @throws IOException if the bytes are not a batch of durable state */
    public static Map<String, VersionedValue> decode(byte[] bytes) throws IOException {
        return decodeFrom(new ByteArrayInputStream(bytes));
    }

    /**
     * Reads what {@link #encodeTo} wrote from the stream, as {@link #decode} reads it from bytes; the stream stays
     * open.
     *
     * @throws IOException if the stream does not hold a batch of durable state
     */
    @SuppressWarnings("unchecked")
    public static Map<String, VersionedValue> decodeFrom(InputStream stream) throws IOException {
        try {
            ObjectInputStream in = new ObjectInputStream(stream);
            in.setObjectInputFilter(MODEL_ONLY);
            Object read = in.readObject();
            if (!(read instanceof Map<?, ?> map)) {
                throw new InvalidObjectException("not a map of durable state: " + read.getClass().getName());
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !(entry.getValue() instanceof VersionedValue)) {
                    throw new InvalidObjectException("not a map of durable state");
                }
            }
            return (Map<String, VersionedValue>) map;
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new InvalidObjectException("not durable state: " + e.getMessage());
        }
    }
}
