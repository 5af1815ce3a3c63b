package io.meridian.registry.grid;

import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.NamedPort;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.durable.ValueCodec;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal's values: service parts in their binary form, every other value in Java serialization. */
class DurableValuesTest {

    private static final ValueCodec VALUES = DurableValues.JOURNAL_VALUES;

    @Test
    void aServicePartReadsBackEqualInAFractionOfItsJavaSerializationsBytes() throws IOException {
        ServiceInstance checked = ServiceInstance.builder("web", "web-1").address("10.0.0.1").port(8080)
                .tags("v1", "canary").meta(Map.of("zone", "a", "build", "x".repeat(500)))
                .checks(List.of(new Check("service:web-1", "alive", CheckKind.TTL, "", null, null, null,
                        Duration.ofSeconds(30), null, null, HealthStatus.PASSING, ""))).build();
        ServiceInstance named = ServiceInstance.builder("web", "web-2").address("10.0.0.2").port(8080)
                .ports(List.of(new NamedPort("admin", 9090, false))).build();
        ServicePart part = new ServicePart(42, Map.of("web-1", new InstanceEntry(checked, 40, 42),
                "web-2", new InstanceEntry(named, 41, 41)));

        byte[] bytes = VALUES.encode(part);

        assertEquals(part, VALUES.decode(bytes));
        ServicePart one = new ServicePart(7, Map.of("web-2", new InstanceEntry(named, 7, 7)));
        int binary = VALUES.encode(one).length;
        int java = ValueCodec.JAVA.encode(one).length;
        assertTrue(binary * 3 < java, "a one-instance part takes " + binary + " bytes, in Java serialization " + java);
    }

    /** The ACL state, the stored documents and a batch's member count. */
    @Test
    void otherValuesReadBackEqualThroughJavaSerialization() throws IOException {
        for (Serializable value : List.of(3, "a document", new RegistrySerializationTest.Allowed("acl", List.of(1)))) {
            assertEquals(value, VALUES.decode(VALUES.encode(value)));
        }
    }

    @Test
    void aValueOfAClassOutsideTheModelOrOfAnUnknownFormIsRefused() {
        byte[] foreign = VALUES.encode(new File("/etc/passwd"));
        assertThrows(IOException.class, () -> VALUES.decode(foreign));
        assertThrows(IOException.class, () -> VALUES.decode(new byte[]{9, 1, 2}));
        assertThrows(IOException.class, () -> VALUES.decode(new byte[0]));
    }
}
