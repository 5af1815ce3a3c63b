package io.meridian.health.schedule;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP server on loopback that accepts and closes every connection: a target whose TCP checks pass until closed. */
final class AcceptingServer implements AutoCloseable {

    private final ServerSocket socket;

    AcceptingServer() throws IOException {
        socket = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket ignored = socket.accept()) {
                    // accepting is all a TCP check asks
                } catch (IOException closed) {
                    return;
                }
            }
        }, "tcp-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
