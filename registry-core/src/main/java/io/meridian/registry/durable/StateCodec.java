package io.meridian.registry.durable;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The Java form of a batch of durable state ({@code key -> VersionedValue}): Java serialization of the registry's model
 * records. Snapshot archives ({@link SnapshotArchive}) are written in it, so that a build that reads only this form can
 * restore them, and journals written before {@link JournalCodec}'s binary form hold it. Reading accepts only the
 * model's classes and the JDK's collections and value types, so bytes from a file or a request cannot make it build
 * anything else, and no array longer than {@value #MOST_ELEMENTS}
 * elements: a collection's serial form states its size, which reading allocates before any element arrives, so a few
 * bytes claiming billions would otherwise end in an {@link OutOfMemoryError} (a map's table of that many slots holds
 * about 12 million entries).
 */
public final class StateCodec {

    /** The longest array (a list's elements, a map's table) a reader of serialized model classes should accept. */
    public static final int MOST_ELEMENTS = 1 << 24;
    static final ObjectInputFilter MODEL_ONLY = ObjectInputFilter.Config.createFilter(
            "maxdepth=24;maxrefs=100000000;maxarray=" + MOST_ELEMENTS + ";io.meridian.registry.**;io.meridian.acl.**;"
                    + "java.util.*;java.lang.*;java.time.*;!*");

    private StateCodec() {
    }

    /** Writes the state to the stream, and flushes it; the stream stays open. */
    public static void encodeTo(Map<String, VersionedValue> state, OutputStream stream) throws IOException {
        ObjectOutputStream out = new ObjectOutputStream(stream);
        out.writeObject(state.getClass() == HashMap.class ? state : new HashMap<>(state));
        out.flush();
    }

    /**
     * Reads what {@link #encodeTo} wrote from the stream; the stream stays open.
     *
     * @throws IOException if the stream does not hold a batch of durable state
     */
    @SuppressWarnings("unchecked")
    public static Map<String, VersionedValue> decodeFrom(InputStream stream) throws IOException {
        Object read = readModelObject(stream, "durable state");
        if (!(read instanceof Map<?, ?> map)) {
            throw new InvalidObjectException("not a map of durable state: " + read.getClass().getName());
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String) || !(entry.getValue() instanceof VersionedValue)) {
                throw new InvalidObjectException("not a map of durable state");
            }
        }
        return (Map<String, VersionedValue>) map;
    }

    /**
     * One object of the model read from a Java serialization stream through {@link #MODEL_ONLY}.
     *
     * @param what what the stream should hold, for the message of the exception
     * @throws IOException if the stream holds no such object, or one the filter refuses
     */
    static Object readModelObject(InputStream stream, String what) throws IOException {
        try {
            ObjectInputStream in = new ObjectInputStream(stream);
            in.setObjectInputFilter(MODEL_ONLY);
            return in.readObject();
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new InvalidObjectException("not " + what + ": " + e.getMessage());
        }
    }
}
