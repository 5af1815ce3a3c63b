package io.meridian.faults;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code meridian node} processes, member {@code i} in namespace {@code i} of a {@link NetworkLab}, each with its own
 * configuration, data directory and log file, on the standard ports of its own address. The children run on this
 * JVM's class path. It pauses (SIGSTOP), resumes (SIGCONT), kills (SIGKILL), stops (SIGTERM) and restarts them;
 * {@link #close()} kills whatever still runs and {@link #logs()} gives every run's output, for a failure to print.
 */
public final class NodeCluster implements AutoCloseable {

    /** Member, HTTP and DNS ports: the same in every namespace, since each has its own address. */
    public static final int MEMBER_PORT = 5701;
    public static final int HTTP_PORT = 8500;
    public static final int DNS_PORT = 8600;
    public static final String CLUSTER_NAME = "faults";
    private static final Duration START_BOUND = Duration.ofSeconds(180);
    private static final Pattern LEADER = Pattern.compile("\"?([0-9.]+):" + MEMBER_PORT + "\"?");

    private final NetworkLab lab;
    private final Path directory;
    private final List<String> extraSettings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process[] processes;
    private final int[] runs;
    /** Kills the members if this JVM is stopped (SIGTERM, Ctrl-C) before {@link #close()}: they would outlive it. */
    private final Thread killOnExit = new Thread(this::killAll, "node-cluster-cleanup");

    private NodeCluster(NetworkLab lab, Path directory, List<String> extraSettings) {
        this.lab = lab;
        this.directory = directory;
        this.extraSettings = extraSettings;
        this.processes = new Process[lab.size()];
        this.runs = new int[lab.size()];
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Lays out a member for each of the lab's namespaces, with the extra {@code key=value} settings; starts none. */
    public static NodeCluster layOut(NetworkLab lab, Path directory, List<String> extraSettings) {
        return new NodeCluster(lab, directory, extraSettings);
    }

    /** Starts every member and waits until each answers {@code /readyz}. */
    public void startAll() throws IOException {
        for (int i = 0; i < size(); i++) {
            launch(i);
        }
        for (int i = 0; i < size(); i++) {
            awaitReady(i, START_BOUND);
        }
    }

    public int size() {
        return processes.length;
    }

    /** Starts member {@code i} (again) on its configuration and data directory; its output goes to a new log. */
    public void launch(int i) throws IOException {
        List<String> members = new ArrayList<>();
        for (int m = 0; m < lab.size(); m++) {
            members.add(memberAddress(m));
        }
        List<String> settings = new ArrayList<>(List.of(
                "meridian.cluster-name=" + CLUSTER_NAME,
                "meridian.node-name=node-" + i,
                "meridian.bind-address=" + lab.address(i),
                "meridian.hazelcast-port=" + MEMBER_PORT,
                "meridian.members=" + String.join(",", members),
                "meridian.http-port=" + HTTP_PORT,
                "meridian.dns-port=" + DNS_PORT,
                "meridian.data-dir=" + directory.resolve("data-node-" + i)));
        settings.addAll(extraSettings);
        Path config = directory.resolve("node-" + i + ".properties");
        Files.write(config, settings);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        runs[i]++;
        processes[i] = new ProcessBuilder("ip", "netns", "exec", lab.namespace(i), java, "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // Membership and CP changes, and the collector's pauses, are what a failed run is read for.
                "-Xlog:gc:stdout:uptime",
                "-Dorg.slf4j.simpleLogger.log.com.hazelcast.internal.cluster=info",
                "-Dorg.slf4j.simpleLogger.log.com.hazelcast.cp.internal=info",
                "-cp", System.getProperty("java.class.path"),
                "io.meridian.node.Main", "node", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log(i, runs[i]).toFile())
                .start();
    }

    /** Waits until member {@code i} answers {@code /readyz} with 200. */
    public void awaitReady(int i, Duration bound) {
        awaitOk(i, "/readyz", bound, "node " + i + " not ready within " + bound);
    }

    /** Waits until member {@code i}'s autopilot reports every CP seat filled by a healthy, running member. */
    public void awaitHealthy(int i, Duration bound) {
        awaitOk(i, "/v1/operator/autopilot/health", bound,
                "the CP group not healthy within " + bound + " as node " + i + " sees it");
    }

    /** Polls member {@code i}'s {@code path} until it answers 200; fails at once if the process has exited. */
    private void awaitOk(int i, String path, Duration bound, String failure) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes[i].isAlive()) {
                throw new IllegalStateException("node " + i + " exited with " + processes[i].exitValue());
            }
            try {
                if (get(i, path, Duration.ofSeconds(3)).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(300));
        }
        throw new IllegalStateException(failure);
    }

    /** The member that leads the CP group, as member {@code asking} sees it; empty if it knows none. */
    public Optional<Integer> leader(int asking) {
        try {
            Matcher address = LEADER.matcher(get(asking, "/v1/status/leader", Duration.ofSeconds(3)).body());
            if (address.find()) {
                for (int i = 0; i < lab.size(); i++) {
                    if (lab.address(i).equals(address.group(1))) {
                        return Optional.of(i);
                    }
                }
            }
        } catch (IOException e) {
            // no answer: no leader known here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** Freezes member {@code i}'s process (SIGSTOP): a long GC pause or a stalled VM, as its peers see it. */
    public void pause(int i) {
        signal(i, "STOP");
    }

    /** Lets a paused member run again (SIGCONT). */
    public void resume(int i) {
        signal(i, "CONT");
    }

    /** SIGKILL: a crash. Waits until the process is gone. */
    public void kill(int i) throws InterruptedException {
        processes[i].destroyForcibly();
        processes[i].waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an orchestrator stops a node; waits up to a minute for the graceful stop, then kills. */
    public void stop(int i) throws InterruptedException {
        processes[i].destroy();
        if (!processes[i].waitFor(60, TimeUnit.SECONDS)) {
            kill(i);
        }
    }

    /** Member {@code i}'s member (and client) endpoint, {@code host:port}. */
    public String memberAddress(int i) {
        return lab.address(i) + ":" + MEMBER_PORT;
    }

    public URI uri(int i, String path) {
        return URI.create("http://" + lab.address(i) + ":" + HTTP_PORT + path);
    }

    public HttpResponse<String> get(int i, String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(i, path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(int i, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(i, path)).timeout(timeout)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every run's output of every member, headed by its file name. */
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

    private void signal(int i, String signal) {
        Shell.run("kill", "-" + signal, Long.toString(processes[i].pid()));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs: it kills them too
        }
        for (Process process : processes) {
            if (process != null) {
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Kills every member still running; a paused one is resumed first, so that it dies at once. */
    private void killAll() {
        for (Process process : processes) {
            if (process != null && process.isAlive()) {
                Shell.attempt("kill", "-CONT", Long.toString(process.pid()));
                process.destroyForcibly();
            }
        }
    }
}
