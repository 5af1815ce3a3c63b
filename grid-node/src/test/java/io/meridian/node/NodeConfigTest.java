package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeConfigTest {

    @TempDir
    Path directory;

    @Test
    void theFileOverridesTheDefaultsAndTheEnvironmentOverridesTheFile() throws Exception {
        Path file = directory.resolve("node.properties");
        Files.writeString(file, """
                meridian.node-name=node-7
                meridian.http-port=9500
                meridian.members=10.0.0.1:5701, 10.0.0.2:5701
                meridian.anti-entropy-interval=1m30s
                """);

        NodeConfig config = NodeConfig.load(file, Map.of("MERIDIAN_HTTP_PORT", "9600", "PATH", "/bin"));

        assertEquals("node-7", config.nodeName());
        assertEquals(9600, config.httpPort());
        assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), config.members());
        assertEquals(Duration.ofSeconds(90), config.antiEntropyEvery());
        assertEquals(8600, config.dnsPort(), "untouched keys keep their defaults");
        assertEquals("dc1", config.datacenter());
    }

    @Test
    void aWrongValueNamesItsKey() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.load(null, Map.of("MERIDIAN_HTTP_PORT", "eighty")));
        assertTrue(error.getMessage().contains("meridian.http-port"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.load(null, Map.of("MERIDIAN_DNS_PORT", "70000")));
    }
}
