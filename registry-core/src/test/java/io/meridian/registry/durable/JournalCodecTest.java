package io.meridian.registry.durable;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The journal's batches in the binary form, and the Java form they replaced, through one reader. */
class JournalCodecTest {

    private static final JournalCodec CODEC = new JournalCodec(ValueCodec.JAVA);
    private static final Map<String, VersionedValue> BATCH = Map.of("registry/7/default/web",
            new VersionedValue(42, "a part"), "cluster/members", new VersionedValue(42, 3));

    @Test
    void aBatchReadsBackEqualInEitherForm() throws IOException {
        assertEquals(BATCH, CODEC.decode(CODEC.read(new ByteArrayInputStream(CODEC.encode(BATCH)))));
        ByteArrayOutputStream javaForm = new ByteArrayOutputStream();
        StateCodec.encodeTo(BATCH, javaForm);
        assertEquals(BATCH, CODEC.decode(CODEC.read(new ByteArrayInputStream(javaForm.toByteArray()))));
    }

    @Test
    void bytesOfNeitherFormOrCutShortAreRefused() {
        byte[] binary = CODEC.encode(BATCH);
        byte[] cut = Arrays.copyOf(binary, binary.length - 3);
        byte[] negativeLength = ByteBuffer.allocate(22).put(new byte[]{'M', 'B', 1}).putInt(1).putShort((short) 1)
                .put((byte) 'k').putLong(1).putInt(-5).array();
        for (byte[] bad : new byte[][]{"not a batch".getBytes(), cut, negativeLength, new byte[0]}) {
            assertThrows(IOException.class, () -> CODEC.read(new ByteArrayInputStream(bad)));
        }
    }
}
