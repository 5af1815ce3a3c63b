package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka sink against a real broker process in KRaft mode: every acknowledged write becomes a record keyed by its
 * service, through a broker stop and start in the middle of the writes, and each service's records keep the
 * stream's order.
 */
class KafkaSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SERVICES = 4;
    private static final int INSTANCES_PER_SERVICE = 3;
    private static final int WRITES_PER_PHASE = 40;
    private static final Duration CONSUME_BOUND = Duration.ofSeconds(120);

    @Test
    void everyAcknowledgedWriteReachesKafkaThroughABrokerRestartInStreamOrderPerService(@TempDir Path directory)
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(directory)) {
            NodeConfig base = TestNodes.config(3).withEvents(EventSettings.DEFAULTS
                    .withKafka(broker.bootstrapServers()));
            try (TestNodes nodes = TestNodes.startFirst(base, 3)) {
                String api = "http://127.0.0.1:" + nodes.node(0).httpPort();
                List<Integer> acknowledged = new ArrayList<>();
                write(api, 0, WRITES_PER_PHASE, acknowledged);
                broker.stop();
                write(api, WRITES_PER_PHASE, 2 * WRITES_PER_PHASE, acknowledged);
                broker.start();
                write(api, 2 * WRITES_PER_PHASE, 3 * WRITES_PER_PHASE, acknowledged);

                Map<String, List<JsonNode>> byService = consumeUntilEvery(broker, acknowledged);
                for (Map.Entry<String, List<JsonNode>> service : byService.entrySet()) {
                    List<Long> positions = service.getValue().stream().map(event -> event.get("Position").asLong())
                            .toList();
                    assertEquals(positions.stream().sorted().toList(), positions,
                            service.getKey() + "'s records keep the stream's order");
                }
                Map<String, Integer> lastWriteOf = new HashMap<>();
                byService.values().stream().flatMap(List::stream).forEach(event -> {
                    int write = writeNumber(event);
                    Integer before = lastWriteOf.put(event.get("Instance").asText(), write);
                    assertTrue(before == null || before < write, "an instance's writes come in the order made");
                });
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\nthe broker's output:\n" + broker.logs(), e);
            }
        }
    }

    /** Registers writes {@code from} to {@code to}, each an instance of a service tagged with its number. */
    private static void write(String api, int from, int to, List<Integer> acknowledged) throws Exception {
        for (int i = from; i < to; i++) {
            int service = i % SERVICES;
            String body = "{\"ID\":\"svc-" + service + "-" + (i / SERVICES) % INSTANCES_PER_SERVICE
                    + "\",\"Name\":\"svc-" + service + "\",\"Port\":8080,\"Tags\":[\"w" + i + "\"]}";
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(api
                    + "/v1/agent/service/register")).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                acknowledged.add(i);
            }
        }
        assertTrue(acknowledged.size() > (to - from) / 2, "most writes are acknowledged: " + acknowledged.size());
    }

    /**
     * Reads the topic from its start until every acknowledged write's event came, each event once (the first time
     * it came), grouped by the record key.
     */
    private static Map<String, List<JsonNode>> consumeUntilEvery(KafkaBroker broker, List<Integer> acknowledged)
            throws Exception {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Set<Integer> missing = new HashSet<>(acknowledged);
        Set<String> seen = new HashSet<>();
        Map<String, List<JsonNode>> byService = new LinkedHashMap<>();
        long deadline = System.nanoTime() + CONSUME_BOUND.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(EventSettings.DEFAULTS.kafkaTopic()));
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(record.value());
                    assertEquals(event.get("Namespace").asText() + "/" + event.get("Service").asText(), record.key());
                    if (seen.add(event.get("Id").asText())) {
                        byService.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(event);
                        missing.remove(writeNumber(event));
                    }
                }
            }
        }
        assertEquals(Set.of(), missing, "the acknowledged writes whose events never reached Kafka");
        assertEquals(SERVICES, byService.size());
        IntStream.range(0, SERVICES).forEach(service -> assertTrue(byService.containsKey("default/svc-" + service)));
        return byService;
    }

    /** The number of the write an event reports, from its tag. */
    private static int writeNumber(JsonNode event) {
        return Integer.parseInt(event.get("State").get("Service").get("Tags").get(0).asText().substring(1));
    }
}
