package io.meridian.registry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * Ports free on loopback now, for tests that lay out a cluster before starting it. Each port is held until all are
 * chosen, so none is handed out twice, and then released for the node to bind. They are taken below Linux's ephemeral
 * range (32768 and up), from which the kernel hands ports to outgoing connections: a free ephemeral port can be taken
 * by any connection before the node binds it. Probing keeps two test JVMs that run side by side off each other's
 * ports.
 */
public final class LoopbackPorts {

    private static final int LOWEST = 10_000;
    private static final int SPAN = 22_000;

    private LoopbackPorts() {
    }

    /** {@code count} free ports, anywhere in the range. */
    public static List<Integer> scattered(int count) {
        return hold(count, () -> LOWEST + ThreadLocalRandom.current().nextInt(SPAN), false);
    }

    /** {@code count} consecutive free ports; the first is returned. */
    public static int consecutive(int count) {
        while (true) {
            int first = LOWEST + ThreadLocalRandom.current().nextInt(SPAN - count);
            int[] next = {first};
            List<Integer> held = hold(count, () -> next[0]++, true);
            if (!held.isEmpty()) {
                return first;
            }
        }
    }

    /** Holds ports drawn from {@code candidates} until {@code count} are held; empty if {@code allOrNothing} failed. */
    private static List<Integer> hold(int count, IntSupplier candidates, boolean allOrNothing) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            while (held.size() < count) {
                try {
                    held.add(new ServerSocket(candidates.getAsInt(), 1, InetAddress.getLoopbackAddress()));
                } catch (IOException taken) {
                    if (allOrNothing) {
                        return List.of();
                    }
                }
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket that accepted nothing does not fail in practice
                }
            }
        }
    }
}
