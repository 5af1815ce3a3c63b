package io.meridian.registry.durable;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** What {@link StateCodec#decodeFrom} makes of bytes from a snapshot archive that were made to hurt. */
class StateCodecTest {

    /**
     * A collection's serial form states its size, and reading it allocates that much before any element arrives: a
     * few dozen bytes claiming two billion elements must be refused as unreadable, not end in an
     * {@link OutOfMemoryError} on the member that reads them.
     */
    @Test
    void aCollectionThatClaimsBillionsOfElementsIsRefusedBeforeItIsAllocated() throws IOException {
        byte[] claimsBillions = withSizeField(serialized(new ArrayList<>(List.of("x"))), Integer.MAX_VALUE - 8);

        assertThrows(IOException.class, () -> StateCodec.decodeFrom(new ByteArrayInputStream(claimsBillions)));
    }

    private static byte[] serialized(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * The stream with an {@code ArrayList}'s {@code size} field set: it sits just before the block of data that
     * {@code writeObject} adds (TC_BLOCKDATA, 4 bytes, the capacity).
     */
    private static byte[] withSizeField(byte[] stream, int size) {
        for (int at = 4; at + 2 <= stream.length; at++) {
            if (stream[at] == 0x77 && stream[at + 1] == 4) {
                byte[] patched = stream.clone();
                patched[at - 4] = (byte) (size >>> 24);
                patched[at - 3] = (byte) (size >>> 16);
                patched[at - 2] = (byte) (size >>> 8);
                patched[at - 1] = (byte) size;
                return patched;
            }
        }
        throw new IllegalStateException("no block data in the stream");
    }
}
