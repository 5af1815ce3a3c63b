package io.meridian.registry.grid;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java deserialization filtering between members: a value of a class outside Meridian, Hazelcast and the JDK is refused
 * where it would be deserialized, while Meridian's own serializable values pass.
 */
class RegistrySerializationTest {

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** A Meridian class that Hazelcast serializes with Java serialization. */
    record Allowed(String name, List<Integer> numbers) implements Serializable {
    }

    @Test
    void whatEveryWriteSendsIsWrittenWithMeridiansSerializersAndReadsBackEqual() {
        SerializationService serialization =
                ((SerializationServiceSupport) cluster.member(0)).getSerializationService();
        ServiceInstance instance = new ServiceInstance("default", "web", "web-1", "10.0.0.1", 8080, List.of("v1"),
                Map.of("zone", "a"), new Weights(3, 1), false,
                List.of(new Check("service:web-1", "alive", CheckKind.TTL, "", null, null, null,
                        Duration.ofSeconds(30), null, null, HealthStatus.PASSING, "")), "node-1");
        ServicePart part = new ServicePart(42, Map.of("web-1", new InstanceEntry(instance, 40, 42)));
        for (Object sent : List.of(new ApplyPart(7, part), new ApplySummary(3, new BucketSummary(42, 1, List.of("v1")),
                42), new AdvanceIndex(42), new RegisterInstance(instance, 42))) {
            Data data = serialization.toData(sent);
            assertTrue(data.getType() > 0, sent.getClass().getSimpleName() + " is not Java-serialized: type "
                    + data.getType());
            assertEquals(sent, serialization.toObject(data));
        }
    }

    @Test
    void aClassFromALibraryIsNotDeserializedButMeridiansAreAndTheJdksAre() {
        IMap<String, Object> written = cluster.member(0).getMap("serialization-filter");
        IMap<String, Object> read = cluster.member(1).getMap("serialization-filter");
        for (int i = 0; i < 20; i++) {
            written.put("library-" + i, new AssertionFailedError("a Serializable class of a library"));
            written.put("meridian-" + i, new Allowed("a", List.of(1, 2)));
        }
        for (int i = 0; i < 20; i++) {
            int key = i;
            RuntimeException refused = assertThrows(RuntimeException.class, () -> read.get("library-" + key));
            assertTrue(String.valueOf(refused.getMessage()).contains("org.opentest4j.AssertionFailedError"),
                    refused.toString());
            assertEquals(new Allowed("a", List.of(1, 2)), read.get("meridian-" + i));
        }
    }
}
