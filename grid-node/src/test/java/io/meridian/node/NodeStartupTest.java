package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node that cannot start says why and exits non-zero; it never stays up half-started. */
class NodeStartupTest {

    @TempDir
    Path directory;

    @Test
    void aNodeWhoseHttpPortIsTakenExitsWithStatusOneAndTheReason() throws Exception {
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 1, List.of());
             ServerSocket taken = new ServerSocket(nodes.httpPort(0), 1, InetAddress.getLoopbackAddress())) {
            nodes.start(0);
            boolean exited = nodes.process(0).waitFor(NodeProcesses.START_BOUND.toSeconds(), TimeUnit.SECONDS);
            String log = nodes.currentLog(0);
            assertTrue(exited, "the node stayed up without its HTTP port:\n" + log);
            assertEquals(1, nodes.process(0).exitValue(), log);
            assertTrue(log.contains("Meridian failed to start"), log);
            assertTrue(log.contains(Integer.toString(taken.getLocalPort())) || log.contains("Address already in use"),
                    log);
        }
    }

    @Test
    void aMisspelledSettingIsNamedAndTheNodeExitsWithStatusOne() throws Exception {
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 1, List.of("meridian.shutdown-timout=10s"))) {
            nodes.start(0);
            assertTrue(nodes.process(0).waitFor(NodeProcesses.START_BOUND.toSeconds(), TimeUnit.SECONDS));
            String log = nodes.currentLog(0);
            assertEquals(1, nodes.process(0).exitValue(), log);
            assertTrue(log.contains("unknown setting meridian.shutdown-timout"), log);
        }
    }
}
