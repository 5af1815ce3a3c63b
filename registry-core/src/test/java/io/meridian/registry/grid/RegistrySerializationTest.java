package io.meridian.registry.grid;

import com.hazelcast.map.IMap;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.io.Serializable;
import java.util.List;

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
