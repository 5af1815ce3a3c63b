package io.meridian.registry.durable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/** {@link ValueCodec#JAVA}: one value per Java serialization stream, read through {@link StateCodec#MODEL_ONLY}. */
final class JavaValueCodec implements ValueCodec {

    @Override
    public byte[] encode(Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize a durable value", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Serializable decode(byte[] bytes) throws IOException {
        Object read = StateCodec.readModelObject(new ByteArrayInputStream(bytes), "a durable value");
        if (read instanceof Serializable value) {
            return value;
        }
        throw new InvalidObjectException("not a durable value");
    }
}
