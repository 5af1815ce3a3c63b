package io.meridian.faults;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's slow link, as a member's peer sees it: a process in a member's namespace echoes bytes back to this JVM
 * over the bridge, and a delay on that member holds each echo back by at least the delay; after {@code heal()} the
 * echoes come back well within it, and {@code close()} leaves no namespace and no delayer behind.
 */
class NetworkLabTest {

    private static final Duration DELAY = Duration.ofMillis(400);

    @BeforeAll
    static void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "network namespaces need root: run as root (CI does)");
    }

    @Test
    void aDelayHoldsBackEveryPacketAMemberSendsUntilHealed() throws Exception {
        String namespace;
        try (NetworkLab lab = NetworkLab.create(1);
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(lab.hostAddress()))) {
            namespace = lab.namespace(0);
            Process echo = new ProcessBuilder("ip", "netns", "exec", namespace, "bash", "-c",
                    "exec 3<>/dev/tcp/" + lab.hostAddress() + "/" + server.getLocalPort()
                            + "; while read -r -n1 byte <&3; do printf x >&3; done").inheritIO().start();
            try (Socket connection = server.accept()) {
                connection.setSoTimeout(10_000);
                long undelayed = medianRoundTripMillis(connection);

                lab.delay(0, DELAY);
                long delayed = medianRoundTripMillis(connection);
                lab.heal();
                long healed = medianRoundTripMillis(connection);

                assertTrue(delayed >= DELAY.toMillis(), "each echo waits out the delay: median " + delayed + " ms"
                        + " (" + undelayed + " ms before)");
                assertTrue(healed < DELAY.toMillis(), "heal() removes the delay: median " + healed + " ms");
            } finally {
                echo.destroyForcibly().waitFor();
            }
        }
        assertFalse(Shell.run("ip", "netns", "list").contains(namespace), "close() removes the namespace");
        assertEquals(null, Shell.attempt("pgrep", "-x", "nfq-delay"), "no delayer left running");
    }

    /** Sends one byte at a time and waits for its echo, five times; the median time, in ms. */
    private static long medianRoundTripMillis(Socket connection) throws IOException {
        OutputStream out = connection.getOutputStream();
        InputStream in = connection.getInputStream();
        long[] millis = new long[5];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            out.write('a');
            out.flush();
            assertEquals('x', in.read(), "the echo");
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        return millis[millis.length / 2];
    }
}
