package io.meridian.registry.grid;

import com.hazelcast.internal.nio.BufferObjectDataInput;
import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.meridian.registry.durable.JournalCodec;
import io.meridian.registry.durable.ValueCodec;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The durable state's values as journals keep them: a service part, nearly every value there is, field by field as
 * {@link WireFormat} writes it for the grid; any other value (the ACL state, the stored documents, a batch's member
 * count) in Java serialization. A first byte tells which. A one-instance part takes about a quarter of its Java
 * serialization's bytes, and none of its class descriptors. Thread-safe.
 */
public final class DurableValues implements ValueCodec {

    /** The journal's values. */
    static final DurableValues JOURNAL_VALUES = new DurableValues();
    /** The form of the batches every member's journal and every writer's shipments use. */
    public static final JournalCodec JOURNAL = new JournalCodec(JOURNAL_VALUES);

    private static final byte JAVA = 0;
    private static final byte PART = 1;
    /** Only for its data streams: a part's form uses no serializer of Hazelcast's. */
    private static final InternalSerializationService STREAMS = new DefaultSerializationServiceBuilder().build();

    private DurableValues() {
    }

    @Override
    public byte[] encode(Serializable value) {
        if (!(value instanceof ServicePart part)) {
            byte[] java = ValueCodec.JAVA.encode(value);
            byte[] tagged = new byte[java.length + 1];
            tagged[0] = JAVA;
            System.arraycopy(java, 0, tagged, 1, java.length);
            return tagged;
        }
        BufferObjectDataOutput out = STREAMS.createObjectDataOutput(256);
        try {
            out.writeByte(PART);
            WireFormat.writePart(out, part);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a service part", e);
        }
        return out.toByteArray();
    }

    @Override
    public Serializable decode(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw new IOException("an empty durable value");
        }
        return switch (bytes[0]) {
            case JAVA -> ValueCodec.JAVA.decode(Arrays.copyOfRange(bytes, 1, bytes.length));
            case PART -> readPart(bytes);
            default -> throw new IOException("a durable value of unknown form " + bytes[0]);
        };
    }

    private static ServicePart readPart(byte[] bytes) throws IOException {
        BufferObjectDataInput in = STREAMS.createObjectDataInput(bytes, 1);
        try {
            return WireFormat.readPart(in);
        } catch (RuntimeException e) {
            throw new IOException("an unreadable service part: " + e, e);
        }
    }
}
