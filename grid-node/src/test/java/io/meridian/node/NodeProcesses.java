package io.meridian.node;

import io.meridian.registry.testing.LoopbackPorts;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * {@code meridian node --config FILE} processes on loopback, each with its own configuration, data directory and log
 * file, on ports that were free when the cluster was laid out. Children run on this JVM's classpath. {@link #close()}
 * kills whatever still runs; {@link #logs()} gives every child's output, for a failing test or benchmark to print. Used
 * by the process-level tests and by load-tests' failover figures.
 */
public final class NodeProcesses implements AutoCloseable {

    /** Start-up on a busy 2-core machine: three JVMs, Hazelcast's join and CP discovery. */
    public static final Duration START_BOUND = Duration.ofSeconds(180);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The line a JVM ends its thread dump with. */
    private static final String THREAD_DUMP_END = "JNI global refs:";

    private final Path directory;
    private final List<Integer> memberPorts;
    private final List<Integer> httpPorts;
    private final List<Integer> dnsPorts;
    private final List<String> extraSettings;
    private final List<String> jvmOptions;
    private final Process[] processes;
    private final int[] runs;
    /** Kills the children if this JVM is stopped (SIGTERM, Ctrl-C) before {@link #close()}: they would outlive it. */
    private final Thread killOnExit = new Thread(this::killAll, "node-processes-cleanup");

    private NodeProcesses(Path directory, int count, List<String> extraSettings, List<String> jvmOptions)
            throws IOException {
        this.directory = directory;
        this.jvmOptions = jvmOptions;
        List<Integer> ports = LoopbackPorts.scattered(3 * count);
        this.memberPorts = ports.subList(0, count);
        this.httpPorts = ports.subList(count, 2 * count);
        this.dnsPorts = ports.subList(2 * count, 3 * count);
        this.extraSettings = extraSettings;
        this.processes = new Process[count];
        this.runs = new int[count];
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Lays out a cluster of {@code count} nodes with the extra {@code key=value} settings, for tests; starts none. The
     * children JIT-compile with C1 only and collect with the serial collector: short-lived processes start faster so,
     * and take less of a two-core machine from the rest of the suite.
     */
    public static NodeProcesses layOut(Path directory, int count, List<String> extraSettings) throws IOException {
        return layOut(directory, count, extraSettings, List.of());
    }

    /** As {@link #layOut(Path, int, List)}, with JVM options of the test's own (a logger's level, say) after those. */
    public static NodeProcesses layOut(Path directory, int count, List<String> extraSettings, List<String> jvmOptions)
            throws IOException {
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        options.addAll(jvmOptions);
        return new NodeProcesses(directory, count, extraSettings, options);
    }

    /** As {@link #layOut}, with the JVM's default compilers and collector: for benchmarks. */
    public static NodeProcesses layOutForBenchmarks(Path directory, int count, List<String> extraSettings)
            throws IOException {
        return layOutForBenchmarks(directory, count, extraSettings, List.of());
    }

    /** As above, with JVM options of the benchmark's own (a larger heap, say) after the default ones. */
    public static NodeProcesses layOutForBenchmarks(Path directory, int count, List<String> extraSettings,
                                                    List<String> jvmOptions) throws IOException {
        return new NodeProcesses(directory, count, extraSettings, jvmOptions);
    }

    /** Starts every node and waits until each answers {@code /readyz} with 200. */
    public NodeProcesses startAll() throws IOException {
        for (int i = 0; i < processes.length; i++) {
            start(i);
        }
        for (int i = 0; i < processes.length; i++) {
            awaitReady(i);
        }
        return this;
    }

    /** Starts node {@code i} (again) on its configuration; its output goes to a log file of this run. */
    public void start(int i) throws IOException {
        String members = String.join(",", memberPorts.stream().map(port -> "127.0.0.1:" + port).toList());
        Path config = directory.resolve("node-" + i + ".properties");
        List<String> settings = new ArrayList<>(List.of(
                "meridian.cluster-name=" + clusterName(),
                "meridian.node-name=node-" + i,
                "meridian.bind-address=127.0.0.1",
                "meridian.hazelcast-port=" + memberPorts.get(i),
                "meridian.members=" + members,
                "meridian.http-port=" + httpPorts.get(i),
                "meridian.dns-port=" + dnsPorts.get(i),
                "meridian.data-dir=" + dataDir(i)));
        settings.addAll(extraSettings);
        Files.write(config, settings);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        runs[i]++;
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.meridian.node.Main", "node",
                "--config", config.toString()));
        processes[i] = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log(i, runs[i]).toFile())
                .start();
    }

    /** The Hazelcast cluster name the nodes share, for clients of the member port. */
    public String clusterName() {
        return "processes-" + directory.getFileName();
    }

    /** Node {@code i}'s data directory, kept across its runs. */
    public Path dataDir(int i) {
        return directory.resolve("data-node-" + i);
    }

    /** Waits until node {@code i} answers {@code /readyz} with 200. */
    public void awaitReady(int i) {
        await().atMost(START_BOUND).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get(i, "/readyz").statusCode() == 200);
    }

    /** Waits until node {@code i}'s autopilot reports every CP seat filled by a healthy, running server. */
    public void awaitHealthy(int i, Duration bound) {
        await().atMost(bound).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get(i, "/v1/operator/autopilot/health").statusCode() == 200);
    }

    /** The index of the node whose member port is in the {@code host:port}, or -1. */
    public int indexOf(String memberAddress) {
        return memberPorts.indexOf(Integer.parseInt(memberAddress.substring(memberAddress.lastIndexOf(':') + 1)));
    }

    /** Sends SIGTERM (graceful) or SIGKILL to node {@code i} and waits for it to exit; returns its exit code. */
    public int stop(int i, boolean kill) throws InterruptedException {
        Process process = processes[i];
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    public Process process(int i) {
        return processes[i];
    }

    /** Freezes node {@code i} (SIGSTOP), as a long GC pause would; {@link #resume} lets it run again. */
    public void pause(int i) throws IOException, InterruptedException {
        signal(i, "STOP");
    }

    /** Lets a paused node run again (SIGCONT). */
    public void resume(int i) throws IOException, InterruptedException {
        signal(i, "CONT");
    }

    private void signal(int i, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[i].pid())).start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + processes[i].pid() + " failed");
        }
    }

    /**
     * What a failing test prints: every run's output of every node, each node still running having first been asked to
     * add its threads' stacks (SIGQUIT), to show where one that did not do what it should is waiting; then which
     * processes listen on this cluster's ports ({@code ss}), to show who holds a port a node could not bind.
     */
    public String failureReport() throws InterruptedException {
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null && processes[i].isAlive()) {
                dumpThreads(i);
            }
        }
        return logs() + "==== listening on this cluster's ports ====\n" + listenersOnClusterPorts();
    }

    /** Asks node {@code i} for its threads' stacks and waits, a few seconds at most, until its log holds them. */
    private void dumpThreads(int i) throws InterruptedException {
        try {
            long before = currentLog(i).split(THREAD_DUMP_END, -1).length;
            signal(i, "QUIT");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> currentLog(i).split(THREAD_DUMP_END, -1).length > before);
        } catch (IOException | ConditionTimeoutException e) {
            System.out.println("no thread dump of node " + i + ": " + e);
        }
    }

    private String listenersOnClusterPorts() throws InterruptedException {
        List<String> ports = new ArrayList<>();
        for (List<Integer> each : List.of(memberPorts, httpPorts, dnsPorts)) {
            each.forEach(port -> ports.add(":" + port + " "));
        }
        try {
            Process ss = new ProcessBuilder("ss", "-ltunpH").redirectErrorStream(true).start();
            String all = new String(ss.getInputStream().readAllBytes());
            ss.waitFor();
            return all.lines().filter(line -> ports.stream().anyMatch(line::contains))
                    .collect(Collectors.joining("\n", "", "\n"));
        } catch (IOException e) {
            return "(ss could not run: " + e.getMessage() + ")\n";
        }
    }

    public int size() {
        return processes.length;
    }

    public int httpPort(int i) {
        return httpPorts.get(i);
    }

    /** Node {@code i}'s Hazelcast member port. */
    public int memberPort(int i) {
        return memberPorts.get(i);
    }

    /** Node {@code i}'s DNS port, UDP and TCP. */
    public int dnsPort(int i) {
        return dnsPorts.get(i);
    }

    public HttpResponse<String> get(int i, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(i) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(int i, String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(i) + path))
                .timeout(Duration.ofSeconds(20)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The output of node {@code i}'s latest run. */
    public String currentLog(int i) throws IOException {
        return Files.readString(log(i, runs[i]));
    }

    /** Every run's output of every node, headed by its file name. */
    public String logs() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < processes.length; i++) {
            for (int run = 1; run <= runs[i]; run++) {
                Path log = log(i, run);
                all.append("==== ").append(log.getFileName()).append(" ====\n");
                try {
                    all.append(Files.readString(log));
                } catch (IOException e) {
                    all.append("(unreadable: ").append(e).append(")\n");
                }
            }
        }
        return all.toString();
    }

    private Path log(int i, int run) {
        return directory.resolve("node-" + i + "-run-" + run + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs: it kills them too
        }
        for (Process process : processes) {
            if (process != null) {
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void killAll() {
        for (Process process : processes) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }
}
