package io.meridian.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code dev [--http-port N] [--data-dir DIR]} starts a three-member cluster in this JVM, keeping its
 * data under DIR, nowhere if DIR is {@code none}, or in a fresh temporary directory that is deleted when it stops;
 * {@code node [--config FILE] [--http-port N]} starts one member of a multi-process cluster. Both run until interrupted
 * (Ctrl-C, SIGTERM); a node then stops gracefully within {@code meridian.shutdown-timeout}. If start-up fails, the
 * process prints the reason and exits with status 1, having stopped whatever it had started; it exits with status 1
 * too should Hazelcast stop the serving member once started ({@link MemberWatchdog}); a node whose CP Subsystem
 * fails to form starts its member again instead (see {@link ClusterNotFormedException}). {@code operator recover}
 * asks a running node to recover the cluster from a lost CP majority, {@code snapshot save|restore FILE} saves or
 * restores a snapshot of the registry and ACLs (see {@link AdminCommands}).
 */
public final class Main {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    /** The pause before a node whose CP Subsystem failed to form starts its member again. */
    private static final Duration FORMATION_RETRY = Duration.ofSeconds(2);

    /**
     * Netty's buffer allocation events for JDK Flight Recorder. Meridian records none of them, and the first buffer
     * allocated with them on loads Flight Recorder's event machinery: about 100 ms added to the first DNS answer after
     * a start (load-tests/README.md, "First answers"). Off unless set on the command line.
     */
    private static final String NETTY_FLIGHT_RECORDER_EVENTS = "io.netty.jfr.enabled";

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty(NETTY_FLIGHT_RECORDER_EVENTS) == null) {
            System.setProperty(NETTY_FLIGHT_RECORDER_EVENTS, "false");
        }
        try {
            run(args);
        } catch (Exception e) {
            System.err.println("Meridian failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        String command = arguments.isEmpty() ? "help" : arguments.remove(0);
        if (command.equals("operator") || command.equals("snapshot")) {
            System.exit(runAdmin(command, arguments));
        }
        Path configFile = option(arguments, "--config").map(Path::of).orElse(null);
        NodeConfig config = command.equals("dev") ? NodeConfig.loadForDev(configFile, System.getenv())
                : NodeConfig.load(configFile, System.getenv());
        Integer httpPort = option(arguments, "--http-port").map(Integer::parseInt).orElse(null);
        if (httpPort != null) {
            config = config.withHttpPort(httpPort);
        }
        Optional<Path> devDataDir = command.equals("dev") ? option(arguments, "--data-dir").map(Path::of)
                : Optional.empty();
        if (!arguments.isEmpty()) {
            usage("unknown arguments: " + arguments);
        }
        switch (command) {
            case "dev" -> runDev(config, devDataDir);
            case "node" -> runNode(config);
            default -> usage(null);
        }
    }

    /** {@code operator recover} and {@code snapshot save|restore FILE}, against a running node. */
    private static int runAdmin(String command, List<String> arguments) throws InterruptedException {
        String action = arguments.isEmpty() ? "" : arguments.remove(0);
        AdminCommands admin = new AdminCommands(option(arguments, "--http-address").orElse("127.0.0.1:8500"),
                option(arguments, "--token").or(() -> Optional.ofNullable(System.getenv("MERIDIAN_HTTP_TOKEN"))));
        if (command.equals("operator") && action.equals("recover") && arguments.isEmpty()) {
            return admin.recover();
        }
        if (command.equals("snapshot") && arguments.size() == 1 && action.equals("save")) {
            return admin.saveSnapshot(Path.of(arguments.get(0)));
        }
        if (command.equals("snapshot") && arguments.size() == 1 && action.equals("restore")) {
            return admin.restoreSnapshot(Path.of(arguments.get(0)));
        }
        usage("unknown command: " + command + " " + action + " " + arguments);
        return 2;
    }

    private static void runDev(NodeConfig base, Optional<Path> dataDir) throws InterruptedException, IOException {
        boolean memoryOnly = dataDir.map(dir -> dir.toString().equals("none")).orElse(false);
        Optional<Path> root = memoryOnly ? Optional.empty()
                : Optional.of(dataDir.isPresent() ? dataDir.get() : Files.createTempDirectory("meridian-dev-"));
        NodeConfig config = base.withDataDir(root);
        DevCluster cluster = DevCluster.start(config);
        String leader;
        try {
            leader = cluster.awaitLeader(STARTUP_TIMEOUT);
            if (!cluster.httpNode().awaitWritesOpen(STARTUP_TIMEOUT)) {
                throw new IllegalStateException("the cluster did not open writes within " + STARTUP_TIMEOUT);
            }
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        MeridianNode http = cluster.httpNode();
        System.out.printf("Meridian dev cluster: 3 members, CP leader %s%n", leader);
        String scheme = config.tls().isPresent() ? "https" : "http";
        System.out.printf("  HTTP API  %s://%s:%d  (try: curl %s://%s:%d/v1/status/leader)%n", scheme,
                config.bindAddress(), http.httpPort(), scheme, config.bindAddress(), http.httpPort());
        System.out.println(config.acl().defaultDeny() ? "  ACLs      default-deny: requests need a token"
                : "  ACLs      default-allow: anyone may read and write (meridian.acl-default-policy=deny to require"
                        + " tokens)");
        System.out.printf("  DNS       %s port %d, UDP and TCP  (try: dig @%s -p %d web.service.consul SRV)%n",
                config.bindAddress(), http.dnsPort(), config.bindAddress(), http.dnsPort());
        System.out.printf("  Data      %s%n  Ctrl-C to stop%n", root.map(dir -> dir + (dataDir.isPresent() ? ""
                : " (temporary: deleted on stop; --data-dir DIR keeps it)"))
                .orElse("none: writes are acknowledged from memory and lost when the cluster stops"));
        MemberWatchdog watchdog = watch(http);
        runUntilInterrupted(() -> {
            watchdog.stopping();
            cluster.stop(config.shutdownTimeout());
            if (dataDir.isEmpty()) {
                root.ifPresent(Main::deleteRecursively);
            }
        });
    }

    private static void deleteRecursively(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }

    /**
     * Starts the node and waits for the CP Subsystem to form. While members are missing it goes on waiting, as long as
     * it takes. If formation fails (Hazelcast stopped the member, while the node was being built on it or after, or
     * every member is there and no leader came within the bound), the node starts its member again: the CP Subsystem
     * holds nothing before discovery completes.
     */
    private static void runNode(NodeConfig config) throws InterruptedException {
        MeridianNode node = null;
        String leader;
        while (true) {
            try {
                if (node == null) {
                    node = startServing(config);
                }
                leader = node.awaitLeader(STARTUP_TIMEOUT);
                break;
            } catch (ClusterNotFormedException e) {
                if (!e.restartHelps()) {
                    System.err.println("Meridian: " + e.getMessage() + "; still waiting");
                    continue;
                }
                System.err.println("Meridian: " + e.getMessage() + "; starting the member again in "
                        + FORMATION_RETRY.toSeconds() + " s");
                if (node != null) {
                    node.close();
                    node = null;
                }
                Thread.sleep(FORMATION_RETRY.toMillis());
            } catch (RuntimeException | InterruptedException e) {
                if (node != null) {
                    node.close();
                }
                throw e;
            }
        }
        System.out.printf("Meridian node %s: member %s, HTTP %s://%s:%d, DNS port %d, CP leader %s, data %s%n",
                config.nodeName(), node.member().getCluster().getLocalMember().getAddress(),
                config.tls().isPresent() ? "https" : "http", config.bindAddress(), node.httpPort(), node.dnsPort(),
                leader, config.dataDir().map(Path::toString).orElse("none (meridian.data-dir=none: nothing survives a"
                        + " whole-cluster stop)"));
        MeridianNode started = node;
        MemberWatchdog watchdog = watch(started);
        runUntilInterrupted(() -> {
            watchdog.stopping();
            started.stop(config.shutdownTimeout());
        });
    }

    /** Exits the process with status 1 should Hazelcast stop the node's member (see {@link MemberWatchdog}). */
    private static MemberWatchdog watch(MeridianNode node) {
        return new MemberWatchdog(() -> node.member().getLifecycleService().isRunning(), System::exit)
                .start(MemberWatchdog.PERIOD);
    }

    /** Starts a node with its HTTP API and DNS interface; if either cannot start, stops it and throws. */
    private static MeridianNode startServing(NodeConfig config) {
        MeridianNode node = MeridianNode.start(config);
        try {
            node.serveHttp();
            node.serveDns();
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Blocks until the JVM is asked to stop, then runs {@code stop} in the shutdown hook. */
    private static void runUntilInterrupted(Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping Meridian");
            try {
                stop.run();
            } catch (RuntimeException e) {
                System.err.println("while stopping: " + e);
            }
            System.out.println("Meridian stopped");
            stopped.countDown();
        }, "meridian-shutdown"));
        stopped.await();
    }

    private static Optional<String> option(List<String> arguments, String name) {
        int at = arguments.indexOf(name);
        if (at < 0) {
            return Optional.empty();
        }
        if (at + 1 >= arguments.size()) {
            usage(name + " needs a value");
        }
        String value = arguments.get(at + 1);
        arguments.subList(at, at + 2).clear();
        return Optional.of(value);
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println(problem);
        }
        System.err.println("usage: meridian dev [--http-port N] [--data-dir DIR] | meridian node [--config FILE]"
                + " [--http-port N]"
                + " | meridian operator recover [--http-address HOST:PORT] [--token TOKEN]"
                + " | meridian snapshot save|restore FILE [--http-address HOST:PORT] [--token TOKEN]");
        System.exit(2);
    }
}
