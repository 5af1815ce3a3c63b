package io.meridian.registry.durable;

import java.io.IOException;
import java.io.Serializable;

/**
 * How one value of the durable state becomes bytes in the journal's binary form ({@link JournalCodec}) and back. The
 * journal keeps a value's bytes as they are until a reader asks for its object, so folding segments into a snapshot
 * never decodes a value. Implementations must be thread-safe, and must read what every earlier version of themselves
 * wrote: the bytes stay on disk across upgrades.
 */
public interface ValueCodec {

    /** Every value in Java serialization, read back with {@link StateCodec}'s filter: for values of any kind. */
    ValueCodec JAVA = new JavaValueCodec();

    byte[] encode(Serializable value);

    /** @throws IOException if the bytes are not a value this codec wrote */
    Serializable decode(byte[] bytes) throws IOException;
}
