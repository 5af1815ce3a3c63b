package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A node that cannot start says why and exits non-zero; it never stays up half-started. A node that starts listens on
 * its bind address only.
 */
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

    /**
     * With {@code bind-address=127.0.0.1}, the member, HTTP and DNS ports answer on loopback and on no other address of
     * this machine: Hazelcast listens on every interface unless told not to ({@code hazelcast.socket.bind.any}).
     */
    @Test
    void aNodeListensOnItsBindAddressOnly() throws Exception {
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .toList();
        assumeFalse(others.isEmpty(), "this machine has no address but loopback to try");
        try (NodeProcesses nodes = NodeProcesses.layOut(directory, 1, List.of())) {
            nodes.start(0);
            List<Integer> ports = List.of(nodes.memberPort(0), nodes.httpPort(0), nodes.dnsPort(0));
            try {
                await().atMost(NodeProcesses.START_BOUND).ignoreExceptions().until(() -> ports.stream()
                        .allMatch(port -> accepts(InetAddress.getLoopbackAddress(), port)));
                for (InetAddress other : others) {
                    for (int port : ports) {
                        assertFalse(accepts(other, port), "port " + port + " answers on " + other);
                    }
                }
            } catch (AssertionError | RuntimeException e) {
                System.out.println(nodes.currentLog(0));
                throw e;
            }
        }
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
