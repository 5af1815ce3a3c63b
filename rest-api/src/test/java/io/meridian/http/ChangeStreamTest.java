package io.meridian.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.operator.ClusterState;
import io.meridian.registry.grid.ChangePublisher;
import io.meridian.registry.grid.HazelcastChangeEvents;
import io.meridian.registry.grid.HazelcastPreparedQueries;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.HazelcastUserEvents;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/events/stream} over a real three-member cluster (each member publishing what it owns) and a real server
 * on an ephemeral loopback port: the long poll, server-sent events with a resume, and the answer to a consumer too far
 * behind.
 */
class ChangeStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient SSE_CLIENT = HttpClient.newHttpClient();
    private static TestCluster cluster;
    private static final List<ChangePublisher> publishers = new ArrayList<>();
    private static HazelcastRegistry registry;
    private static ConsulHttpServer server;
    private static LocalApi api;
    private static HazelcastChangeEvents changes;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
        cluster.members().forEach(member -> publishers.add(new ChangePublisher(member)));
        registry = new HazelcastRegistry(cluster.member(0), RegistrySettings.defaults("node-a"), Clock.systemUTC());
        changes = new HazelcastChangeEvents(cluster.member(1));
        HazelcastAclStore acls = new HazelcastAclStore(cluster.member(0).getCPSubsystem(), Optional.empty(),
                Duration.ofSeconds(10), registry.durableWrites());
        server = new ConsulHttpServer(new ApiBackends(registry, FixedClusterStatus.ONE_LEADER,
                (namespace, id) -> CompletableFuture.completedFuture(Optional.empty()), Map::of,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), acls, new FixedRaftOperator(),
                new ClusterState(registry, List.of(acls)), new HazelcastUserEvents(cluster.member(0)),
                new HazelcastPreparedQueries(cluster.member(0).getCPSubsystem(), Duration.ofSeconds(10),
                        registry.durableWrites()), changes),
                ApiSettings.defaults("node-a"));
        api = new LocalApi("http://127.0.0.1:" + server.start("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        server.close();
        publishers.forEach(ChangePublisher::close);
        registry.close();
        cluster.close();
    }

    @Test
    void aLongPollWaitsForTheNextChangeAndCarriesTheNewState() throws Exception {
        long next = nextPosition();
        int waitingBefore = changes.waitingReads();
        CompletableFuture<HttpResponse<String>> waiting = api.getLater("/v1/events/stream?from=" + next + "&wait=30s");
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.waitingReads() > waitingBefore);
        assertFalse(waiting.isDone(), "it waits while nothing changes");

        assertEquals(200, api.put("/v1/agent/service/register", """
                {"ID":"poll-1","Name":"poll","Address":"10.9.0.1","Port":8080,"Tags":["v1"]}""").statusCode());

        JsonNode page = JSON.readTree(waiting.get(10, TimeUnit.SECONDS).body());
        JsonNode event = page.get("Events").get(0);
        assertEquals("registered", event.get("Type").asText());
        assertEquals(next, event.get("Position").asLong());
        assertEquals("poll", event.get("Service").asText());
        assertEquals("poll-1", event.get("Instance").asText());
        assertEquals("10.9.0.1", event.get("State").get("Service").get("Address").asText());
        assertEquals(event.get("Index").asLong(), event.get("State").get("Service").get("ModifyIndex").asLong());
        assertEquals(next + 1, page.get("NextPosition").asLong());

        assertEquals(200, api.put("/v1/agent/service/deregister/poll-1", "").statusCode());
        JsonNode gone = JSON.readTree(api.get("/v1/events/stream?from=" + (next + 1) + "&wait=10s").body())
                .get("Events").get(0);
        assertEquals("deregistered", gone.get("Type").asText());
        assertTrue(gone.get("State").isNull());
        JsonNode both = JSON.readTree(api.get("/v1/events/stream?from=" + next + "&wait=1ms").body());
        assertEquals(2, both.get("Events").size(), "events already there come whatever the wait: " + both);
    }

    @Test
    void manyConsumersWaitAtOnceAndOneChangeWakesEachOfThem() throws Exception {
        long next = nextPosition();
        int waitingBefore = changes.waitingReads();
        List<CompletableFuture<HttpResponse<String>>> consumers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            consumers.add(api.getLater("/v1/events/stream?from=" + next + "&wait=30s"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.waitingReads() >= waitingBefore + 50);
        registry.register(instance("crowd", "crowd-1"));
        for (CompletableFuture<HttpResponse<String>> consumer : consumers) {
            JsonNode event = JSON.readTree(consumer.get(20, TimeUnit.SECONDS).body()).get("Events").get(0);
            assertEquals("crowd-1", event.get("Instance").asText());
            assertEquals(next, event.get("Position").asLong());
        }
    }

    @Test
    void serverSentEventsFollowTheStreamAndResumeAfterTheLastEventId() throws Exception {
        long next = nextPosition();
        try (BufferedReader stream = sse("/v1/events/stream?from=" + next, Optional.empty())) {
            registry.register(instance("sse", "sse-1"));
            registry.register(instance("sse", "sse-1", "v2"));
            List<String> first = readEvent(stream);
            List<String> second = readEvent(stream);
            assertEquals(List.of("id:" + next, "event:registered"), first.subList(0, 2));
            assertEquals(List.of("id:" + (next + 1), "event:updated"), second.subList(0, 2));
            assertEquals("v2", JSON.readTree(second.get(2).substring("data:".length()))
                    .get("State").get("Service").get("Tags").get(0).asText());
        }
        registry.deregister("default", "sse-1");
        try (BufferedReader resumed = sse("/v1/events/stream", Optional.of(next + 1))) {
            assertEquals(List.of("id:" + (next + 2), "event:deregistered"), readEvent(resumed).subList(0, 2));
        }
    }

    @Test
    void aConsumerTooFarBehindGets410WithWhereToResume() throws Exception {
        long start = nextPosition();
        for (int i = 0; i < TestCluster.CHANGE_EVENTS_KEPT + 5; i++) {
            registry.register(instance("flood", "flood-" + i));
        }
        long written = start + TestCluster.CHANGE_EVENTS_KEPT + 5;
        await().atMost(Duration.ofSeconds(10)).until(() -> nextPosition() >= written);

        HttpResponse<String> behind = api.get("/v1/events/stream?from=" + start);
        assertEquals(410, behind.statusCode(), behind.body());
        JsonNode body = JSON.readTree(behind.body());
        assertTrue(body.get("error").asText().contains("resume from"), body.toString());
        assertTrue(body.get("SnapshotPosition").asLong() >= written, body.toString());
        assertTrue(body.get("OldestPosition").asLong() > start, body.toString());
    }

    @Test
    void badPositionsAre400AndOnesPastTheEnd410() throws Exception {
        HttpResponse<String> word = api.get("/v1/events/stream?from=soon");
        assertEquals(400, word.statusCode());
        assertTrue(JSON.readTree(word.body()).get("error").asText().contains("from"), word.body());
        long next = nextPosition();
        HttpResponse<String> ahead = api.get("/v1/events/stream?from=" + (next + 100));
        assertEquals(410, ahead.statusCode(), "a position past the end is of a stream that started again");
        assertEquals(next, JSON.readTree(ahead.body()).get("SnapshotPosition").asLong());
        assertEquals(400, api.get("/v1/events/stream?max=0").statusCode());
        assertEquals(400, api.send(api.request("/v1/events/stream?max=5000").header("Accept", "text/event-stream")
                .GET()).statusCode(), "a stream's bad parameter too, before it starts");
    }

    /** The position after the last event, from a long poll that does not wait. */
    private static long nextPosition() throws Exception {
        HttpResponse<String> page = api.get("/v1/events/stream?wait=1ms");
        assertEquals(200, page.statusCode(), page.body());
        return JSON.readTree(page.body()).get("NextPosition").asLong();
    }

    private static BufferedReader sse(String path, Optional<Long> lastEventId) throws Exception {
        var request = api.request(path).header("Accept", "text/event-stream").GET();
        lastEventId.ifPresent(id -> request.header("Last-Event-ID", String.valueOf(id)));
        HttpResponse<InputStream> response = SSE_CLIENT.send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** The lines of the next event, comments left out, without the blank line that ends it. */
    private static List<String> readEvent(BufferedReader stream) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line = stream.readLine(); line != null; line = stream.readLine()) {
            if (line.isEmpty() && !lines.isEmpty()) {
                return lines;
            }
            if (!line.isEmpty() && !line.startsWith(":")) {
                lines.add(line.replace(": ", ":"));
            }
        }
        throw new AssertionError("the stream ended in the middle of " + lines);
    }
}
