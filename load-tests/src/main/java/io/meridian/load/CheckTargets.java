package io.meridian.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The targets of the check benchmark, in a process of their own so that their cost is not the members', on loopback.
 * HTTP and TCP checks aim at HAProxy on one thread, answering {@code 200 ok} to every request ({@code http-request
 * return}) on four ports for HTTP and one for TCP, whose checks connect and close without a request. (HAProxy's own way
 * to accept and close, {@code tcp-request connection reject}, resets the connection, which a TCP check rightly counts
 * as a failure when the reset comes before it has seen the connect.) HAProxy, in C, costs little per new connection: at
 * 10,000 HTTP checks/s it used about two thirds of the CPU that four Netty event loops did (see the module's README).
 * gRPC checks aim at {@link GrpcTarget}, whose standard health service says SERVING. As root the process runs at
 * {@code nice -10}: the targets stand in for services on machines of their own, so the members' threads must not
 * starve them. The process ends when its standard input closes, so it never outlives the benchmark that started it,
 * even killed; {@link #close()} closes it.
 */
final class CheckTargets implements AutoCloseable {

    private static final int HTTP_PORTS = 4;
    private static final long READY_MILLIS = 10_000;

    private final Process process;
    private final long servingPid;
    private final List<String> addresses;

    private CheckTargets(Process process, long servingPid, List<String> addresses) {
        this.process = process;
        this.servingPid = servingPid;
        this.addresses = addresses;
    }

    /** Starts the targets of {@code kind} ({@code http}, {@code tcp} or {@code grpc}) and returns once they listen. */
    static CheckTargets start(String kind) throws IOException, InterruptedException {
        return switch (kind) {
            case "http", "tcp" -> haproxy(kind);
            case "grpc" -> grpc();
            default -> throw new IllegalArgumentException("no targets of kind " + kind);
        };
    }

    /** What the checks aim at: URLs ending in {@code /} for HTTP, {@code host:port} otherwise. */
    List<String> addresses() {
        return addresses;
    }

    /** The process that serves the targets, whose CPU is theirs. */
    long pid() {
        return servingPid;
    }

    /** Whether the targets run ahead of the members in CPU ({@code nice -10}, only as root). */
    static boolean prioritised() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static CheckTargets haproxy(String kind) throws IOException, InterruptedException {
        List<Integer> ports = freePorts(kind.equals("http") ? HTTP_PORTS : 1);
        String binds = ports.stream().map(port -> "  bind 127.0.0.1:" + port + "\n").collect(Collectors.joining());
        Path config = Files.createTempFile("check-targets", ".cfg");
        ProcessHandle haproxy;
        Process process;
        try {
            Files.writeString(config, "global\n  nbthread 1\n  maxconn 8000\ndefaults\n  mode http\n"
                    + "  timeout client 5s\nfrontend targets\n" + binds
                    + "  http-request return status 200 content-type text/plain string ok\n");
            // The shell stops HAProxy once the benchmark closes its input, or dies.
            process = start(List.of("sh", "-c", "haproxy -db -f \"$1\" & cat > /dev/null; kill $!", "sh",
                    config.toString()));
            haproxy = awaitChild(process);
            for (int port : ports) {
                awaitListening(process, port);
            }
        } finally {
            // read once HAProxy listens
            Files.delete(config);
        }
        List<String> addresses = ports.stream().map(port -> kind.equals("http")
                ? "http://127.0.0.1:" + port + "/healthz/" : "127.0.0.1:" + port).toList();
        return new CheckTargets(process, haproxy.pid(), addresses);
    }

    private static CheckTargets grpc() throws IOException {
        Process process = start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), GrpcTarget.class.getName()));
        String ready = process.inputReader().readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            kill(process);
            throw new IOException("the gRPC target did not start: " + ready);
        }
        return new CheckTargets(process, process.pid(), List.of("127.0.0.1:" + ready.substring(6)));
    }

    private static Process start(List<String> command) throws IOException {
        List<String> line = new ArrayList<>();
        if (prioritised()) {
            line.addAll(List.of("nice", "-n", "-10"));
        }
        line.addAll(command);
        return new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Loopback ports free now, all different: each is held until all are found. */
    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static ProcessHandle awaitChild(Process process) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            var child = process.toHandle().children()
                    .filter(c -> c.info().command().filter(command -> command.endsWith("haproxy")).isPresent())
                    .findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            Thread.sleep(10);
        }
        kill(process);
        throw new IOException("HAProxy did not start: its errors, if any, are above (is it installed?"
                + " apt-get install haproxy)");
    }

    private static void awaitListening(Process process, int port) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (process.isAlive()) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    break;
                }
                Thread.sleep(10);
            }
        }
        kill(process);
        throw new IOException("HAProxy does not listen on port " + port + " (its errors are above)");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill(process);
        }
    }

    /** Kills the process and whatever it started. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
