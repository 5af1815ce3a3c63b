package io.meridian.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A slow link without netem: {@code nfq-delay}, a small C program on Debian's libnetfilter_queue, runs inside a
 * namespace and holds every packet of one netfilter queue for a fixed delay before letting it through, in order. The
 * caller sends packets to that queue with an iptables {@code NFQUEUE} rule, added only once {@link #start} has
 * returned (packets queued with no reader are dropped) and removed before {@link #close()} (which lets every held
 * packet through, then ends the process). What the program says goes to {@code <namespace>.log} next to it, until
 * the JVM ends.
 *
 * <p>The program is compiled from this package's {@code nfq-delay.c} the first time one starts, with gcc and
 * libnetfilter-queue-dev ({@code faults.sh} and {@code .ci/run} install them).
 */
final class PacketDelayer implements AutoCloseable {

    private static final Duration START_BOUND = Duration.ofSeconds(10);
    private static Path binary;

    private final Process process;

    private PacketDelayer(Process process) {
        this.process = process;
    }

    /** Starts holding the packets of queue {@code queue} of namespace {@code namespace} for {@code delay} each. */
    static PacketDelayer start(String namespace, int queue, Duration delay) {
        Process process;
        Path log;
        try {
            Path program = binary();
            log = program.resolveSibling(namespace + ".log");
            process = new ProcessBuilder("ip", "netns", "exec", namespace, program.toString(),
                    Integer.toString(queue), Long.toString(delay.toMillis()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start nfq-delay in " + namespace, e);
        }
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readLine(output));
        try {
            String line = firstLine.get(START_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            if ("ready".equals(line)) {
                return new PacketDelayer(process);
            }
        } catch (ExecutionException | TimeoutException e) {
            // said below, with the program's own words
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new IllegalStateException("nfq-delay in " + namespace + " did not start within " + START_BOUND + ": "
                + said(log));
    }

    private static String said(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(its log could not be read: " + e + ")";
        }
    }

    private static String readLine(BufferedReader output) {
        try {
            return output.readLine();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Lets every held packet through and ends the process (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The compiled program, built once per JVM into a temporary directory that goes when the JVM ends. */
    private static synchronized Path binary() throws IOException {
        if (binary != null) {
            return binary;
        }
        Path directory = Files.createTempDirectory("nfq-delay-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory), "nfq-delay-cleanup"));
        Path source = directory.resolve("nfq-delay.c");
        try (InputStream in = PacketDelayer.class.getResourceAsStream("nfq-delay.c")) {
            if (in == null) {
                throw new IllegalStateException("nfq-delay.c is not on the class path");
            }
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path compiled = directory.resolve("nfq-delay");
        List<String> command = List.of("gcc", "-O2", "-o", compiled.toString(), source.toString(),
                "-lnetfilter_queue", "-lnfnetlink");
        if (Shell.attempt(command.toArray(String[]::new)) == null) {
            throw new IllegalStateException("could not compile nfq-delay (" + String.join(" ", command)
                    + "): it needs gcc and libnetfilter-queue-dev (apt-get install gcc libnetfilter-queue-dev)");
        }
        binary = compiled;
        return binary;
    }

    /** Deletes the program's directory: the source, the program and the delayers' logs (read, if at all, by now). */
    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + directory + ": " + e);
        }
    }
}
