package io.meridian.node;

import io.meridian.registry.testing.LoopbackPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one process, {@code kafka.Kafka} from Maven Central's
 * {@code kafka_2.13}) run as a child process on loopback, with its log directory under a test's directory. It keeps
 * its data across {@link #stop()} and {@link #start()}; {@link #close()} kills it; {@link #logs()} gives its output.
 */
final class KafkaBroker implements AutoCloseable {

    private static final Duration START_BOUND = Duration.ofSeconds(120);

    private final Path directory;
    private final Path config;
    private final int port;
    private final List<Path> logFiles = new ArrayList<>();
    private Process process;

    private KafkaBroker(Path directory, int port, int controllerPort) throws IOException {
        this.directory = directory;
        this.port = port;
        this.config = directory.resolve("server.properties");
        Files.write(config, List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + directory.resolve("kafka-logs"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0"));
    }

    /** Formats the broker's storage and starts it; returns once it answers. */
    static KafkaBroker start(Path directory) throws IOException, InterruptedException {
        List<Integer> ports = LoopbackPorts.scattered(2);
        KafkaBroker broker = new KafkaBroker(directory, ports.get(0), ports.get(1));
        Process format = broker.java("format", "kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", broker.config.toString());
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage failed:\n" + broker.logs());
        }
        broker.start();
        return broker;
    }

    /** Starts the broker (again) and waits until it answers an admin request. */
    void start() throws IOException {
        process = java("broker", "kafka.Kafka", config.toString());
        try {
            await().atMost(START_BOUND).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(this::answers);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the broker did not answer within " + START_BOUND + ":\n" + logs(), e);
        }
    }

    /** Stops the broker as SIGTERM does, and waits for it to exit. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Every run's output, in order. */
    String logs() {
        StringBuilder all = new StringBuilder();
        for (Path log : logFiles) {
            all.append("==== ").append(log.getFileName()).append('\n');
            try {
                List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(line -> all.append(line)
                        .append('\n'));
            } catch (IOException e) {
                all.append("(unreadable: ").append(e.getMessage()).append(")\n");
            }
        }
        return all.toString();
    }

    private boolean answers() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        }
    }

    private Process java(String name, String mainClass, String... arguments) throws IOException {
        Path log = directory.resolve(name + "-" + (logFiles.size() + 1) + ".log");
        logFiles.add(log);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
