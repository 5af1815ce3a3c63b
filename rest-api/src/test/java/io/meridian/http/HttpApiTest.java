package io.meridian.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.operator.ClusterState;
import io.meridian.registry.CheckTargetRules;
import io.meridian.registry.ClusterStatus;
import io.meridian.registry.FailureReports;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.Registry;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP API over a real three-member cluster and a real server on an ephemeral loopback port. */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final PrometheusMeterRegistry METRICS = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static TestCluster cluster;
    private static HazelcastRegistry registry;
    private static ConsulHttpServer server;
    private static String base;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
        registry = new HazelcastRegistry(cluster.member(0),
                new RegistrySettings(256, 8, Duration.ofSeconds(10), "node-a", true), Clock.systemUTC());
        FailureReports reports = (namespace, instanceId) -> CompletableFuture.completedFuture(
                instanceId.equals("reported-1") ? Optional.of(HealthStatus.CRITICAL) : Optional.empty());
        HazelcastAclStore acls = acls();
        server = new ConsulHttpServer(new ApiBackends(registry, FixedClusterStatus.ONE_LEADER, reports,
                () -> Map.of("health", Map.of("held_failures", 0)), METRICS, acls, new FixedRaftOperator(),
                new ClusterState(registry, List.of(acls)), events(), queries(), changes()),
                ApiSettings.defaults("node-a"));
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
        cluster.close();
    }

    @Test
    void registerLookUpAndDeregisterInConsulsShapes() throws Exception {
        HttpResponse<String> registered = put("/v1/agent/service/register", """
                {"ID":"web-1","Name":"web","Address":"10.0.0.5","Port":8080,"Tags":["v1","canary"],
                 "Meta":{"region":"us-east"},"Weights":{"Passing":10,"Warning":1},"EnableTagOverride":false,
                 "Check":null,"Checks":null,"Kind":"","Proxy":null}""");
        assertEquals(200, registered.statusCode(), registered.body());

        HttpResponse<String> health = get("/v1/health/service/web?passing");
        assertEquals(200, health.statusCode());
        JsonNode entry = JSON.readTree(health.body()).get(0);
        assertEquals("web-1", entry.at("/Service/ID").asText());
        assertEquals(8080, entry.at("/Service/Port").asInt());
        assertEquals("10.0.0.5", entry.at("/Service/Address").asText());
        assertEquals(10, entry.at("/Service/Weights/Passing").asInt());
        assertEquals("us-east", entry.at("/Service/Meta/region").asText());
        assertEquals("node-a", entry.at("/Node/Node").asText());
        assertTrue(entry.get("Checks").isArray());
        assertTrue(Long.parseLong(health.headers().firstValue("X-Consul-Index").orElseThrow()) > 0);
        assertEquals("true", health.headers().firstValue("X-Consul-KnownLeader").orElseThrow());
        assertTrue(health.headers().firstValue("X-Consul-LastContact").isPresent());

        JsonNode catalog = JSON.readTree(get("/v1/catalog/service/web").body()).get(0);
        assertEquals("web-1", catalog.get("ServiceID").asText());
        assertEquals(List.of("v1", "canary"), JSON.convertValue(catalog.get("ServiceTags"), List.class));
        assertTrue(JSON.readTree(get("/v1/catalog/services").body()).has("web"));
        assertTrue(JSON.readTree(get("/v1/agent/services").body()).has("web-1"));

        assertEquals(200, put("/v1/agent/service/deregister/web-1", "").statusCode());
        assertEquals("[]", get("/v1/health/service/web").body());
    }

    @Test
    void namedPortsAreRegisteredShownAndCheckedAsConsul122Has() throws Exception {
        HttpResponse<String> registered = put("/v1/agent/service/register", """
                {"ID":"mp-1","Name":"multi","Address":"10.4.0.1",
                 "Ports":[{"Name":"http","Port":8080,"Default":true},{"Name":"grpc","Port":9090}]}""");
        assertEquals(200, registered.statusCode(), registered.body());

        JsonNode service = JSON.readTree(get("/v1/health/service/multi").body()).get(0).get("Service");
        assertEquals(8080, service.get("Port").asInt(), "Port is the default port when the body gives none");
        assertEquals("grpc", service.at("/Ports/1/Name").asText());
        assertEquals(9090, service.at("/Ports/1/Port").asInt());
        assertTrue(service.at("/Ports/0/Default").asBoolean());
        assertEquals(9090, JSON.readTree(get("/v1/catalog/service/multi").body()).at("/0/ServicePorts/1/Port")
                .asInt());
        assertEquals(200, put("/v1/agent/service/register", """
                {"ID":"sp-1","Name":"single","Port":7000}""").statusCode());
        JsonNode single = JSON.readTree(get("/v1/health/service/single").body()).get(0).get("Service");
        assertEquals(7000, single.get("Port").asInt());
        assertFalse(single.has("Ports"), "an instance without named ports shows none");

        HttpResponse<String> twice = put("/v1/agent/service/register", """
                {"ID":"mp-2","Name":"multi","Ports":[{"Name":"http","Port":8080},{"Name":"http","Port":70000}]}""");
        assertEquals(422, twice.statusCode());
        assertTrue(twice.body().contains("used twice") && twice.body().contains("outside 1-65535"), twice.body());
        HttpResponse<String> unnamed = put("/v1/agent/service/register", """
                {"ID":"mp-3","Name":"multi","Ports":[{"Port":8080}]}""");
        assertEquals(400, unnamed.statusCode());
        assertEquals(1, JSON.readTree(get("/v1/health/service/multi").body()).size(), "nothing more was written");
    }

    @Test
    void theLowerCaseFormRegistersWithGoDurations() throws Exception {
        HttpResponse<String> registered = put("/v1/agent/service/register", """
                {"id":"lc-1","name":"lower","address":"127.0.0.1","port":8080,"tags":["v2.3.1","canary"],
                 "meta":{"region":"us-east","weight":"100"},
                 "check":{"http":"http://127.0.0.1:8080/healthz","interval":"1m30s","timeout":"500ms",
                          "deregister_critical_service_after":"120000ms"}}""");
        assertEquals(200, registered.statusCode(), registered.body());

        JsonNode entry = JSON.readTree(get("/v1/health/service/lower").body()).get(0);
        JsonNode check = entry.at("/Checks/0");
        assertEquals("service:lc-1", check.get("CheckID").asText());
        assertEquals("critical", check.get("Status").asText(), "a check starts critical, as in Consul");
        assertEquals("1m30s", check.at("/Definition/Interval").asText());
        assertEquals("500ms", check.at("/Definition/Timeout").asText());
        assertEquals("2m0s", check.at("/Definition/DeregisterCriticalServiceAfter").asText());
        assertEquals("[]", get("/v1/health/service/lower?passing=true").body());
        assertEquals(1, JSON.readTree(get("/v1/health/service/lower?passing=false").body()).size());
    }

    @Test
    void aCheckWithAStatusStartsInIt() throws Exception {
        put("/v1/agent/service/register", """
                {"ID":"st-1","Name":"statused","Checks":[{"TTL":"30s","Status":"passing"},{"TCP":"127.0.0.1:1",
                 "Interval":"10s","Status":"passing"}]}""");
        JsonNode checks = JSON.readTree(get("/v1/health/service/statused?passing").body()).at("/0/Checks");
        assertEquals("service:st-1:1", checks.get(0).get("CheckID").asText());
        assertEquals("service:st-1:2", checks.get(1).get("CheckID").asText());
    }

    @Test
    void tagsFilterAndAllMustMatch() throws Exception {
        put("/v1/agent/service/register", "{\"ID\":\"t-1\",\"Name\":\"tagged\",\"Tags\":[\"a\",\"b\"]}");
        put("/v1/agent/service/register", "{\"ID\":\"t-2\",\"Name\":\"tagged\",\"Tags\":[\"a\"]}");
        assertEquals(2, JSON.readTree(get("/v1/health/service/tagged?tag=a").body()).size());
        JsonNode both = JSON.readTree(get("/v1/health/service/tagged?tag=a&tag=b").body());
        assertEquals(1, both.size());
        assertEquals("t-1", both.at("/0/Service/ID").asText());
    }

    @Test
    void filterExpressionsSelectOnHealthAndCatalogAndABadOneIsA400NamingThePosition() throws Exception {
        put("/v1/agent/service/register", "{\"ID\":\"f-1\",\"Name\":\"filtered\",\"Port\":8080,"
                + "\"Tags\":[\"v1\"],\"Meta\":{\"version\":\"1.4.0\"}}");
        put("/v1/agent/service/register", "{\"ID\":\"f-2\",\"Name\":\"filtered\",\"Port\":9090,"
                + "\"Tags\":[\"v2\"],\"Meta\":{\"version\":\"2.0.1\"}}");
        JsonNode health = JSON.readTree(get("/v1/health/service/filtered?filter="
                + encode("Service.Meta.version matches \"^2\\.\" or (v1 in Service.Tags and Service.Port == 1)"))
                .body());
        assertEquals(1, health.size());
        assertEquals("f-2", health.at("/0/Service/ID").asText());
        JsonNode catalog = JSON.readTree(get("/v1/catalog/service/filtered?filter="
                + encode("ServiceTags contains v1 and not ServicePort == 9090")).body());
        assertEquals(1, catalog.size());
        assertEquals("f-1", catalog.at("/0/ServiceID").asText());

        HttpResponse<String> bad = get("/v1/health/service/filtered?filter=" + encode("Service.Port =="));
        assertEquals(400, bad.statusCode());
        assertTrue(JSON.readTree(bad.body()).get("error").asText().contains("position 16"), bad.body());
    }

    @Test
    void nearAgentPutsTheAnsweringNodesZoneFirst() throws Exception {
        for (String[] instance : new String[][] {{"z-1", "eu-1a"}, {"z-2", "eu-1b"}, {"z-3", "eu-1c"},
                {"z-4", "eu-1b"}}) {
            put("/v1/agent/service/register", "{\"ID\":\"" + instance[0] + "\",\"Name\":\"zoned\",\"Meta\":{\"zone\":\""
                    + instance[1] + "\"}}");
        }
        ConsulHttpServer inZone = new ConsulHttpServer(otherBackends(), ApiSettings.defaults("node-b")
                .withZone("eu-1b"));
        String zoneBase = "http://127.0.0.1:" + inZone.start("127.0.0.1", 0);
        try {
            assertEquals(List.of("z-2", "z-4", "z-1", "z-3"), serviceIds(send(zoneBase, "GET",
                    "/v1/health/service/zoned?near=_agent", null)));
            assertEquals(List.of("z-1", "z-2", "z-3", "z-4"), serviceIds(send(zoneBase, "GET",
                    "/v1/health/service/zoned", null)), "without near, by id");
            assertEquals(400, send(zoneBase, "GET", "/v1/health/service/zoned?near=other-node", null).statusCode());
        } finally {
            inZone.close();
        }
    }

    private static List<String> serviceIds(HttpResponse<String> response) throws Exception {
        return java.util.stream.StreamSupport.stream(JSON.readTree(response.body()).spliterator(), false)
                .map(entry -> entry.at("/Service/ID").asText()).toList();
    }

    @Test
    void aRegistratorRegistersAndDeregistersThroughTheCatalog() throws Exception {
        HttpResponse<String> registered = put("/v1/catalog/register", "{\"Datacenter\":\"dc1\",\"Node\":\"ext-node\","
                + "\"Address\":\"10.9.0.1\",\"Service\":{\"ID\":\"redis-1\",\"Service\":\"redis\",\"Port\":6379,"
                + "\"Tags\":[\"primary\"]},\"Check\":{\"CheckID\":\"redis-alive\",\"Name\":\"alive\","
                + "\"Status\":\"passing\",\"ServiceID\":\"redis-1\"}}");
        assertEquals(200, registered.statusCode(), registered.body());
        assertEquals("true", registered.body());
        JsonNode redis = JSON.readTree(get("/v1/health/service/redis?passing").body());
        assertEquals(1, redis.size());
        assertEquals("10.9.0.1", redis.at("/0/Service/Address").asText(), "the node's address by default");
        assertEquals("ext-node", redis.at("/0/Node/Node").asText());
        assertEquals("passing", redis.at("/0/Checks/0/Status").asText());

        put("/v1/catalog/register", "{\"Node\":\"ext-node\",\"Service\":{\"ID\":\"redis-1\",\"Service\":\"redis\","
                + "\"Port\":6379},\"Check\":{\"CheckID\":\"redis-alive\",\"Status\":\"critical\"}}");
        assertEquals(0, JSON.readTree(get("/v1/health/service/redis?passing").body()).size(),
                "the registrator's status is the check's status");
        assertEquals("true", put("/v1/catalog/deregister", "{\"Node\":\"ext-node\",\"CheckID\":\"redis-alive\"}")
                .body());
        assertEquals(1, JSON.readTree(get("/v1/health/service/redis?passing").body()).size());
        assertEquals("true", put("/v1/catalog/deregister", "{\"Node\":\"ext-node\",\"ServiceID\":\"redis-1\"}")
                .body());
        assertEquals(0, JSON.readTree(get("/v1/health/service/redis").body()).size());
        assertEquals(200, put("/v1/catalog/deregister", "{\"Node\":\"ext-node\",\"ServiceID\":\"redis-1\"}")
                .statusCode(), "repeating a deregistration is harmless");
    }

    @Test
    void deregisteringANodeRemovesEveryInstanceRegisteredForIt() throws Exception {
        for (String id : List.of("n-a", "n-b")) {
            put("/v1/catalog/register", "{\"Node\":\"leaving-node\",\"Address\":\"10.9.1.1\",\"Service\":{\"ID\":\""
                    + id + "\",\"Service\":\"on-node\"}}");
        }
        put("/v1/catalog/register", "{\"Node\":\"staying-node\",\"Service\":{\"ID\":\"n-c\",\"Service\":\"on-node\"}}");
        put("/v1/catalog/deregister", "{\"Node\":\"leaving-node\"}");
        JsonNode left = JSON.readTree(get("/v1/catalog/service/on-node").body());
        assertEquals(1, left.size());
        assertEquals("n-c", left.at("/0/ServiceID").asText());
    }

    @Test
    void badCatalogRegistrationsAreRefusedAndWriteNothing() throws Exception {
        assertEquals(400, put("/v1/catalog/register", "{\"Service\":{\"Service\":\"nonode\"}}").statusCode());
        assertEquals(400, put("/v1/catalog/register", "{\"Node\":\"n\"}").statusCode());
        assertEquals(400, put("/v1/catalog/deregister", "{\"ServiceID\":\"x\"}").statusCode());
        HttpResponse<String> otherService = put("/v1/catalog/register", "{\"Node\":\"n\",\"Service\":{\"ID\":\"cat-1\","
                + "\"Service\":\"refused\"},\"Check\":{\"CheckID\":\"c\",\"ServiceID\":\"someone-else\"}}");
        assertEquals(422, otherService.statusCode());
        assertTrue(JSON.readTree(otherService.body()).get("error").asText().contains("someone-else"));
        assertEquals(0, JSON.readTree(get("/v1/catalog/service/refused").body()).size());
        assertEquals(0, JSON.readTree(get("/v1/catalog/service/nonode").body()).size());
    }

    /** Runs a registry call in place of the real one, which it may call. */
    private interface Around {
        Object call(java.util.concurrent.Callable<Object> real) throws Exception;
    }

    /** The test registry, with the calls of one method going through {@code around}. */
    private static Registry intercepting(String methodName, Around around) {
        return (Registry) java.lang.reflect.Proxy.newProxyInstance(Registry.class.getClassLoader(),
                new Class<?>[] {Registry.class}, (proxy, method, arguments) -> {
                    java.util.concurrent.Callable<Object> real = () -> {
                        try {
                            return method.invoke(registry, arguments);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause() instanceof RuntimeException cause ? cause
                                    : new IllegalStateException(e.getCause());
                        }
                    };
                    return method.getName().equals(methodName) ? around.call(real) : real.call();
                });
    }

    private static ConsulHttpServer serverOn(Registry backing, String nodeName) {
        return serverOn(backing, nodeName, FixedClusterStatus.ONE_LEADER);
    }

    private static ConsulHttpServer serverOn(Registry backing, String nodeName, ClusterStatus cluster) {
        return serverOn(backing, cluster, ApiSettings.defaults(nodeName));
    }

    private static ConsulHttpServer serverOn(Registry backing, ClusterStatus cluster, ApiSettings settings) {
        HazelcastAclStore acls = acls();
        return new ConsulHttpServer(new ApiBackends(backing, cluster, (namespace, id) ->
                CompletableFuture.completedFuture(Optional.empty()), Map::of, METRICS, acls, new FixedRaftOperator(),
                new ClusterState(registry, List.of(acls)), events(), queries(), changes()), settings);
    }

    @Test
    void aLookupWhoseReadFailsIsA503InTheApisShape() throws Exception {
        ConsulHttpServer failing = serverOn(intercepting("service", real -> {
            throw new HazelcastException("the projection could not be read");
        }), "node-failing-reads");
        String failingBase = "http://127.0.0.1:" + failing.start("127.0.0.1", 0);
        try {
            HttpResponse<String> answer = send(failingBase, "GET", "/v1/health/service/web?passing", null);
            assertEquals(503, answer.statusCode(), answer.body());
            assertEquals(503, JSON.readTree(answer.body()).get("status").asInt());
        } finally {
            failing.close();
        }
    }

    /**
     * A plain lookup the fast path took and handed to Javalin's route (its read failed) costs its client one token:
     * at one read a second, the client hears of the failure, not a 429 it caused by asking once.
     */
    @Test
    void aLookupHandedOnToTheRoutesIsChargedOneToken() throws Exception {
        ConsulHttpServer failing = serverOn(intercepting("service", real -> {
            throw new HazelcastException("the projection could not be read");
        }), FixedClusterStatus.ONE_LEADER, ApiSettings.defaults("node-one-token").withRateLimits(new RateLimits(1, 1)));
        String failingBase = "http://127.0.0.1:" + failing.start("127.0.0.1", 0);
        try {
            HttpResponse<String> answer = send(failingBase, "GET", "/v1/health/service/web?passing", null);
            assertEquals(503, answer.statusCode(), answer.body());
        } finally {
            failing.close();
        }
    }

    @Test
    void aNodeThatKnowsNoLeaderRefusesTtlUpdatesAsItRefusesEveryWrite() throws Exception {
        put("/v1/agent/service/register", """
                {"ID":"cut-1","Name":"cutsvc","Check":{"CheckID":"cut-1-check","TTL":"30s"}}""");
        ConsulHttpServer cutOff = serverOn(registry, "node-cut-off",
                new FixedClusterStatus(Optional.empty(), List.of("127.0.0.1:5701"), Duration.ofSeconds(20),
                        FixedClusterStatus.ONE_LEADER.members()));
        String cutOffBase = "http://127.0.0.1:" + cutOff.start("127.0.0.1", 0);
        try {
            HttpResponse<String> refused = send(cutOffBase, "PUT", "/v1/agent/check/pass/cut-1-check", "");
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("knows no CP leader"),
                    refused.body());
            assertEquals(200, put("/v1/agent/check/pass/cut-1-check", "").statusCode(),
                    "a node with a leader takes it");
        } finally {
            cutOff.close();
            put("/v1/agent/service/deregister/cut-1", "");
        }
    }

    /**
     * A node whose grid member Hazelcast has stopped (after an {@link OutOfMemoryError}, say) answers reads and writes
     * with a 503 that says to ask another node; it was a 500 logged with its stack trace on every request, which under
     * a client retrying in a loop filled 2 GB of log in minutes. The lookup is of a service this member's copy does
     * not hold, so that it reads through the registry rather than answer from that copy.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET /v1/health/service/never-written", "PUT /v1/agent/service/register"})
    void aNodeWhoseMemberStoppedAnswers503(String request) throws Exception {
        ConsulHttpServer stopped = serverOn(intercepting(request.startsWith("GET") ? "service" : "register", real -> {
            throw new HazelcastInstanceNotActiveException();
        }), "node-stopped-member");
        String stoppedBase = "http://127.0.0.1:" + stopped.start("127.0.0.1", 0);
        try {
            String[] methodAndPath = request.split(" ");
            for (int attempt = 0; attempt < 2; attempt++) {
                HttpResponse<String> answer = send(stoppedBase, methodAndPath[0], methodAndPath[1],
                        methodAndPath[0].equals("PUT") ? "{\"ID\":\"stopped-1\",\"Name\":\"web\"}" : null);
                assertEquals(503, answer.statusCode(), answer.body());
                assertTrue(JSON.readTree(answer.body()).get("error").asText().contains("ask another node"),
                        answer.body());
            }
        } finally {
            stopped.close();
        }
    }

    @Test
    void aGridFailureAfterTheCommitIsA503ThatSaysTheWriteMayApply() throws Exception {
        ConsulHttpServer failing = serverOn(intercepting("register", real -> {
            real.call();
            throw new HazelcastException("the check index could not be written");
        }), "node-failing");
        String failingBase = "http://127.0.0.1:" + failing.start("127.0.0.1", 0);
        try {
            HttpResponse<String> answer = send(failingBase, "PUT", "/v1/agent/service/register",
                    "{\"ID\":\"grid-1\",\"Name\":\"grid\",\"Port\":80}");
            assertEquals(503, answer.statusCode(), answer.body());
            JsonNode error = JSON.readTree(answer.body());
            assertEquals(503, error.get("status").asInt());
            assertTrue(error.get("error").asText().contains("may still be applied"), answer.body());
            assertEquals(1, JSON.readTree(get("/v1/health/service/grid").body()).size(), "the write was committed");
        } finally {
            failing.close();
            put("/v1/agent/service/deregister/grid-1", "");
        }
    }

    @Test
    void consistentReadsPastTheBoundAreRefusedWith429AtOnce() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Semaphore inside = new java.util.concurrent.Semaphore(0);
        ConsulHttpServer slow = serverOn(intercepting("serviceConsistent", real -> {
            inside.release();
            release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            return real.call();
        }), "node-slow");
        String slowBase = "http://127.0.0.1:" + slow.start("127.0.0.1", 0);
        try {
            List<CompletableFuture<HttpResponse<String>>> running = new java.util.ArrayList<>();
            for (int i = 0; i < CommittedStateReads.AT_ONCE; i++) {
                running.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(slowBase
                        + "/v1/health/service/web?consistent")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            assertTrue(inside.tryAcquire(CommittedStateReads.AT_ONCE, 30, java.util.concurrent.TimeUnit.SECONDS));

            HttpResponse<String> refused = send(slowBase, "GET", "/v1/health/service/web?consistent", null);
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(200, send(slowBase, "GET", "/v1/health/service/web", null).statusCode(),
                    "default reads are not bounded");
            release.countDown();
            for (CompletableFuture<HttpResponse<String>> read : running) {
                assertEquals(200, read.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode());
            }
        } finally {
            release.countDown();
            slow.close();
        }
    }

    static Stream<Arguments> refusedCheckTargets() {
        String ttl = "{\"CheckID\":\"t%d\",\"TTL\":\"30s\"}";
        String seventeen = String.join(",", java.util.stream.IntStream.range(0, 17)
                .mapToObj(i -> ttl.formatted(i)).toList());
        return Stream.of(
                Arguments.of("cloud metadata", "/v1/agent/service/register", "{\"ID\":\"guarded-1\",\"Name\":"
                        + "\"guarded\",\"Check\":{\"HTTP\":\"http://169.254.169.254/latest/meta-data/\","
                        + "\"Interval\":\"10s\"}}", "169.254.0.0/16 of meridian.check-denied-networks"),
                Arguments.of("a PUT to another node's API", "/v1/agent/service/register", "{\"ID\":\"guarded-1\","
                        + "\"Name\":\"guarded\",\"Check\":{\"HTTP\":\"http://10.1.2.3:8500/v1/agent/service/"
                        + "deregister/web-1\",\"Method\":\"PUT\",\"Interval\":\"10s\"}}", "method PUT is not allowed"),
                Arguments.of("this node's own API", "/v1/agent/service/register", "{\"ID\":\"guarded-1\",\"Name\":"
                        + "\"guarded\",\"Check\":{\"TCP\":\"10.9.9.9:%d\",\"Interval\":\"10s\"}}",
                        "a Meridian member's own port"),
                Arguments.of("loopback, denied on a node", "/v1/agent/check/register", "{\"Name\":\"local\","
                        + "\"ServiceID\":\"guarded-0\",\"HTTP\":\"http://localhost:9000/\",\"Interval\":\"5s\"}",
                        "127.0.0.0/8 of meridian.check-denied-networks"),
                Arguments.of("17 checks", "/v1/agent/service/register", "{\"ID\":\"guarded-1\",\"Name\":"
                        + "\"guarded\",\"Checks\":[" + seventeen + "]}", "at most 16 checks"),
                Arguments.of("a 17th check", "/v1/agent/check/register", "{\"CheckID\":\"t16\",\"ServiceID\":"
                        + "\"guarded-0\",\"TTL\":\"30s\"}", "at most 16 checks"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCheckTargets")
    void aCheckARuleRefusesIsAnswered422NamingTheRuleAndNothingIsWritten(String what, String path, String body,
                                                                         String rule) throws Exception {
        String sixteen = String.join(",", java.util.stream.IntStream.range(0, 16)
                .mapToObj(i -> "{\"CheckID\":\"t%d\",\"TTL\":\"30s\"}".formatted(i)).toList());
        assertEquals(200, put("/v1/agent/service/register", "{\"ID\":\"guarded-0\",\"Name\":\"guarded\","
                + "\"Checks\":[" + sixteen + "]}").statusCode());
        int guardedPort = java.net.URI.create(base).getPort();
        ConsulHttpServer guarded = new ConsulHttpServer(otherBackends(), ApiSettings.defaults("node-guarded")
                .withCheckTargets(new CheckTargetRules(List.of(), CheckTargetRules.nodeDefaultDenied(), List.of(),
                        List.of(java.net.InetAddress.getByName("10.9.9.9")), List.of(guardedPort))));
        String guardedBase = "http://127.0.0.1:" + guarded.start("127.0.0.1", 0);
        try {
            HttpResponse<String> refused = send(guardedBase, "PUT", path, body.formatted(guardedPort));
            assertEquals(422, refused.statusCode(), refused.body());
            assertTrue(JSON.readTree(refused.body()).get("error").asText().contains(rule), refused.body());
            JsonNode instances = JSON.readTree(get("/v1/health/service/guarded").body());
            assertEquals(1, instances.size(), "guarded-1 is not registered");
            assertEquals(16, instances.at("/0/Checks").size(), "guarded-0 has no check added");
        } finally {
            guarded.close();
            put("/v1/agent/service/deregister/guarded-0", "");
        }
    }

    /**
     * Plain lookups are answered before Javalin; any other parameter (here {@code stale}, which lookups ignore) sends
     * the same lookup through Javalin's route. Both must give the same answer, blocking queries whose index is past
     * included.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/health/service/plain", "/v1/health/service/plain?passing",
            "/v1/health/service/plain?tag=blue", "/v1/health/service/plain?passing=1&tag=blue&tag=v2",
            "/v1/health/service/plain?passing=FALSE&token=any",
            "/v1/catalog/service/plain?tag=green", "/v1/health/service/none-such",
            "/v1/health/service/plain?passing&index=1&wait=10s", "/v1/catalog/service/plain?index=1"})
    void aPlainLookupIsAnsweredAsTheFullRouteAnswersIt(String lookup) throws Exception {
        put("/v1/agent/service/register", "{\"ID\":\"plain-1\",\"Name\":\"plain\",\"Port\":1,"
                + "\"Tags\":[\"blue\",\"v2\"]}");
        put("/v1/agent/service/register", "{\"ID\":\"plain-2\",\"Name\":\"plain\",\"Port\":2,"
                + "\"Tags\":[\"green\"]}");
        HttpResponse<String> fast = get(lookup);
        HttpResponse<String> full = get(lookup + (lookup.contains("?") ? "&" : "?") + "stale");
        assertEquals(200, fast.statusCode(), fast.body());
        assertEquals(full.body(), fast.body());
        for (String header : List.of("Content-Type", "X-Consul-Index", "X-Consul-KnownLeader")) {
            assertEquals(full.headers().firstValue(header), fast.headers().firstValue(header), header);
        }
    }

    @Test
    void aLookupTheFastPathCannotJudgeGetsTheFullRoutesAnswer() throws Exception {
        HttpResponse<String> badFlag = get("/v1/health/service/plain?passing=maybe");
        assertEquals(400, badFlag.statusCode());
        assertEquals(400, JSON.readTree(badFlag.body()).get("status").asInt());
        assertEquals(422, get("/v1/health/service/plain?ns=Bad_NS").statusCode(), "an invalid namespace");
        assertEquals(405, send(base, "DELETE", "/v1/health/service/plain", null).statusCode());
    }

    @Test
    void aClientPastItsRateLimitGets429WithRetryAfterAndRecovers() throws Exception {
        ConsulHttpServer limited = new ConsulHttpServer(otherBackends(),
                ApiSettings.defaults("node-limited").withRateLimits(new RateLimits(3, 1)));
        String limitedBase = "http://127.0.0.1:" + limited.start("127.0.0.1", 0);
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, send(limitedBase, "GET", "/v1/status/leader", null).statusCode());
            }
            HttpResponse<String> refused = send(limitedBase, "GET", "/v1/status/leader", null);
            assertEquals(429, refused.statusCode());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(429, JSON.readTree(refused.body()).get("status").asInt());
            HttpResponse<String> refusedLookup = send(limitedBase, "GET", "/v1/health/service/web", null);
            assertEquals(429, refusedLookup.statusCode(), "a plain lookup is limited like any read");
            assertEquals(429, JSON.readTree(refusedLookup.body()).get("status").asInt());

            assertEquals(400, send(limitedBase, "PUT", "/v1/agent/service/register", "{}").statusCode(),
                    "writes have a bucket of their own, and a refused write takes a token too");
            assertEquals(429, send(limitedBase, "PUT", "/v1/agent/service/register", "{}").statusCode());
            for (int i = 0; i < 5; i++) {
                assertEquals(200, send(limitedBase, "GET", "/metrics", null).statusCode(), "scrapes are not limited");
            }

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> send(limitedBase, "GET", "/v1/status/leader", null).statusCode() == 200);
            assertTrue(METRICS.get("meridian.http.rate.limited").tag("kind", "read").counter().count() >= 1);
            assertTrue(METRICS.get("meridian.http.rate.limited").tag("kind", "write").counter().count() >= 1);
        } finally {
            limited.close();
        }
    }

    /** What a second server in a test is backed by: the same registry, no failure reports, no statistics. */
    private static ApiBackends otherBackends() {
        return otherBackends(METRICS);
    }

    private static ApiBackends otherBackends(PrometheusMeterRegistry metrics) {
        HazelcastAclStore acls = acls();
        return new ApiBackends(registry, FixedClusterStatus.ONE_LEADER, (namespace, id) ->
                CompletableFuture.completedFuture(Optional.empty()), Map::of, metrics, acls, new FixedRaftOperator(),
                new ClusterState(registry, List.of(acls)), events(), queries(), changes());
    }

    private static HazelcastUserEvents events() {
        return new HazelcastUserEvents(cluster.member(0));
    }

    private static HazelcastChangeEvents changes() {
        return new HazelcastChangeEvents(cluster.member(0));
    }

    private static HazelcastPreparedQueries queries() {
        return new HazelcastPreparedQueries(cluster.member(0).getCPSubsystem(), Duration.ofSeconds(10),
                registry.durableWrites());
    }

    private static HazelcastAclStore acls() {
        return new HazelcastAclStore(cluster.member(0).getCPSubsystem(), Optional.empty(), Duration.ofSeconds(10),
                registry.durableWrites());
    }


    @Test
    void theApiServesHttpsFromPemFiles(@TempDir Path directory) throws Exception {
        SelfSignedPair pair = SelfSignedPair.writeTo(directory);
        ConsulHttpServer https = new ConsulHttpServer(otherBackends(),
                ApiSettings.defaults("node-tls").withTls(pair.files()));
        int port = https.start("127.0.0.1", 0);
        try {
            HttpClient trusting = HttpClient.newBuilder().sslContext(pair.trustingIt()).build();
            HttpResponse<String> leader = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/v1/status/leader")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, leader.statusCode());
            assertEquals("\"127.0.0.1:5701\"", leader.body());
            assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> HTTP.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/v1/status/leader")).build(),
                    HttpResponse.BodyHandlers.ofString()), "a client that does not trust the certificate is refused");
        } finally {
            https.close();
        }
        Files.writeString(pair.files().privateKey(), "not a key");
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> new ConsulHttpServer(otherBackends(),
                        ApiSettings.defaults("node-tls").withTls(pair.files())));
        assertTrue(unreadable.getMessage().contains("server.key"), unreadable.getMessage());
    }

    @Test
    void theOperatorApiAnswersInConsulsShapesAndRefusesToRemoveALivePeer() throws Exception {
        JsonNode configuration = JSON.readTree(get("/v1/operator/raft/configuration").body());
        JsonNode server = configuration.get("Servers").get(0);
        assertEquals(FixedRaftOperator.LEADER.id(), server.get("ID").asText());
        assertEquals("node-a", server.get("Node").asText());
        assertEquals("127.0.0.1:5701", server.get("Address").asText());
        assertTrue(server.get("Leader").asBoolean() && server.get("Voter").asBoolean());
        assertEquals(7, configuration.get("Index").asLong());

        assertEquals(409, send(base, "DELETE", "/v1/operator/raft/peer?address=127.0.0.1:5701", null).statusCode());
        assertEquals(200, send(base, "DELETE", "/v1/operator/raft/peer?id=" + FixedRaftOperator.LEADER.id()
                + "&force", null).statusCode());
        assertEquals(404, send(base, "DELETE", "/v1/operator/raft/peer?address=10.9.9.9:5701", null).statusCode());
        HttpResponse<String> both = send(base, "DELETE", "/v1/operator/raft/peer?id=x&address=y", null);
        assertEquals(400, both.statusCode());
        assertEquals(400, JSON.readTree(both.body()).get("status").asInt());

        HttpResponse<String> refused = put("/v1/operator/recover", "");
        assertEquals(409, refused.statusCode());
        assertTrue(refused.body().contains("has a leader"), refused.body());

        JsonNode health = JSON.readTree(get("/v1/operator/autopilot/health").body());
        assertTrue(health.get("Healthy").asBoolean());
        assertEquals("0s", health.get("Servers").get(0).get("LastContact").asText());
        assertEquals("2026-11-29T12:00:00Z", health.get("Servers").get(0).get("StableSince").asText());
        assertEquals("alive", health.get("Servers").get(0).get("SerfStatus").asText());

        assertEquals("1s", JSON.readTree(get("/v1/operator/autopilot/configuration").body())
                .get("LastContactThreshold").asText());
        assertEquals(200, put("/v1/operator/autopilot/configuration",
                "{\"LastContactThreshold\":\"2s\",\"CleanupDeadServers\":false}").statusCode());
        JsonNode updated = JSON.readTree(get("/v1/operator/autopilot/configuration").body());
        assertEquals("2s", updated.get("LastContactThreshold").asText());
        assertFalse(updated.get("CleanupDeadServers").asBoolean());
        assertEquals("10s", updated.get("ServerStabilizationTime").asText(), "fields left out keep their values");
        assertEquals(422, put("/v1/operator/autopilot/configuration",
                "{\"ServerStabilizationTime\":\"soon\"}").statusCode());
        assertEquals(422, put("/v1/operator/autopilot/configuration", "{\"MinQuorum\":-1}").statusCode());
        assertEquals("10s", JSON.readTree(get("/v1/operator/autopilot/configuration").body())
                .get("ServerStabilizationTime").asText(), "a refused change changes nothing");
    }

    @Test
    void drainingAnswersParkedQueriesTurnsUnreadyAndStopsTakingConnections() throws Exception {
        PrometheusMeterRegistry drainingMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ConsulHttpServer draining = new ConsulHttpServer(otherBackends(drainingMetrics),
                ApiSettings.defaults("node-drain"));
        String drainingBase = "http://127.0.0.1:" + draining.start("127.0.0.1", 0);
        assertEquals(200, send(drainingBase, "GET", "/readyz", null).statusCode());
        var parked = parkOneQuery(drainingBase, "drained", drainingMetrics.get("meridian.http.parked.queries").gauge());

        Thread stopping = new Thread(() -> draining.drain(Duration.ofSeconds(10)));
        stopping.start();
        HttpResponse<String> answered = parked.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), "a parked query is answered with what is current");
        stopping.join(15_000);
        assertFalse(stopping.isAlive());
        assertThrows(java.io.IOException.class, () -> send(drainingBase, "GET", "/livez", null));
    }

    /**
     * A closed server leaves no client hanging and holds nothing parked: without the release it kept its parked
     * queries until their waits ran out, each to wake a responder of a stopped pool. The query goes over a plain
     * socket: Java's HttpClient sends a GET again when its pooled connection closes unanswered, and where that retry
     * lands is not the closed server's doing (CI once saw it wait out the test's 10 s).
     */
    @Test
    void closingReleasesParkedQueries() throws Exception {
        PrometheusMeterRegistry closingMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ConsulHttpServer closing = new ConsulHttpServer(otherBackends(closingMetrics),
                ApiSettings.defaults("node-close"));
        int port = closing.start("127.0.0.1", 0);
        var parkedQueries = closingMetrics.get("meridian.http.parked.queries").gauge();
        long index = Long.parseLong(send("http://127.0.0.1:" + port, "GET", "/v1/health/service/closed", null)
                .headers().firstValue("X-Consul-Index").orElseThrow());
        try (java.net.Socket parked = new java.net.Socket("127.0.0.1", port)) {
            parked.getOutputStream().write(("GET /v1/health/service/closed?index=" + index + "&wait=5m HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(10)).until(() -> parkedQueries.value() == 1);

            closing.close();

            assertEquals(0, parkedQueries.value(), "nothing is left waiting on the closed server");
            parked.setSoTimeout(10_000);
            assertEquals(-1, readOrReset(parked), "the connection is closed at once, with no answer");
        }
    }

    /** The next byte the peer sent, or -1 once it closed or reset the connection. */
    private static int readOrReset(java.net.Socket socket) throws java.io.IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    /** A blocking query of the service at its current index on the server, once the server counts it parked. */
    private static CompletableFuture<HttpResponse<String>> parkOneQuery(String base, String service,
                                                                        io.micrometer.core.instrument.Gauge parked)
            throws Exception {
        long index = Long.parseLong(send(base, "GET", "/v1/health/service/" + service, null).headers()
                .firstValue("X-Consul-Index").orElseThrow());
        var query = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/health/service/" + service
                + "?index=" + index + "&wait=5m")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> parked.value() == 1);
        return query;
    }

    private static HttpResponse<String> send(String at, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(at + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void namespacesKeepTheSameNameApart() throws Exception {
        put("/v1/agent/service/register?ns=staging", "{\"ID\":\"ns-1\",\"Name\":\"nsapp\",\"Port\":1}");
        assertEquals(1, JSON.readTree(get("/v1/health/service/nsapp?ns=staging").body()).size());
        assertEquals("[]", get("/v1/health/service/nsapp").body());
        assertEquals(404, put("/v1/agent/service/deregister/ns-1", "").statusCode());
        assertEquals(200, put("/v1/agent/service/deregister/ns-1?ns=staging", "").statusCode());
    }

    @Test
    void deregisteringAServiceNameInsteadOfAnIdIs404WithAHint() throws Exception {
        put("/v1/agent/service/register", "{\"ID\":\"hint-1\",\"Name\":\"hinted\"}");
        HttpResponse<String> response = put("/v1/agent/service/deregister/hinted", "");
        assertEquals(404, response.statusCode());
        assertTrue(JSON.readTree(response.body()).get("error").asText().contains("not a service name"));
    }

    @Test
    void aBlockingQueryTimesOutWithTheSameIndexAndWakesOnAChange() throws Exception {
        put("/v1/agent/service/register", "{\"ID\":\"b-1\",\"Name\":\"blocking\"}");
        String index = get("/v1/health/service/blocking").headers().firstValue("X-Consul-Index").orElseThrow();

        HttpResponse<String> unchanged = get("/v1/health/service/blocking?index=" + index + "&wait=300ms");
        assertEquals(index, unchanged.headers().firstValue("X-Consul-Index").orElseThrow());

        CompletableFuture<HttpResponse<String>> parked = HTTP.sendAsync(
                request("/v1/health/service/blocking?index=" + index + "&wait=60s").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        put("/v1/agent/service/register", "{\"ID\":\"b-2\",\"Name\":\"blocking\"}");
        HttpResponse<String> woken = parked.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(2, JSON.readTree(woken.body()).size());
        assertTrue(Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow()) > Long.parseLong(index));
    }

    @Test
    void theServiceListIsABlockingQueryThatWakesOnANewService() throws Exception {
        String index = get("/v1/catalog/services").headers().firstValue("X-Consul-Index").orElseThrow();
        CompletableFuture<HttpResponse<String>> parked = HTTP.sendAsync(
                request("/v1/catalog/services?index=" + index + "&wait=60s").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        put("/v1/agent/service/register", "{\"ID\":\"new-1\",\"Name\":\"brand-new\"}");
        assertTrue(JSON.readTree(parked.get(20, java.util.concurrent.TimeUnit.SECONDS).body()).has("brand-new"));
    }

    @Test
    void checksAreListedByServiceAndByStateAndTtlRenewalsNeedARegisteredTtlCheck() throws Exception {
        put("/v1/agent/service/register", """
                {"ID":"ttl-1","Name":"ttlsvc","Check":{"CheckID":"ttl-1-check","TTL":"30s"}}""");

        JsonNode byService = JSON.readTree(get("/v1/health/checks/ttlsvc").body());
        assertEquals("ttl-1-check", byService.at("/0/CheckID").asText());
        assertEquals("critical", byService.at("/0/Status").asText());
        assertEquals("ttl", byService.at("/0/Type").asText());
        assertTrue(get("/v1/health/state/critical").body().contains("ttl-1-check"));
        assertTrue(JSON.readTree(get("/v1/agent/checks").body()).has("ttl-1-check"));
        assertEquals(400, get("/v1/health/state/bogus").statusCode());

        assertEquals(200, put("/v1/agent/check/pass/ttl-1-check?note=fine", "").statusCode());
        assertEquals(200, put("/v1/agent/check/update/ttl-1-check", "{\"Status\":\"warning\",\"Output\":\"slow\"}")
                .statusCode());
        assertEquals(422, put("/v1/agent/check/update/ttl-1-check", "{\"Status\":\"fine\"}").statusCode());
        assertEquals(400, put("/v1/agent/check/update/ttl-1-check", "{").statusCode());
        HttpResponse<String> unknown = put("/v1/agent/check/pass/no-such-check", "");
        assertEquals(404, unknown.statusCode());
        assertEquals(404, JSON.readTree(unknown.body()).get("status").asInt());
    }

    @Test
    void maintenanceTakesAnInstanceOutOfPassingLookupsUntilDisabled() throws Exception {
        put("/v1/agent/service/register", "{\"ID\":\"maint-1\",\"Name\":\"maint\"}");
        assertEquals(1, JSON.readTree(get("/v1/health/service/maint?passing").body()).size());

        assertEquals(200, put("/v1/agent/service/maintenance/maint-1?enable=true&reason=upgrade", "").statusCode());
        assertEquals("[]", get("/v1/health/service/maint?passing").body());
        JsonNode check = JSON.readTree(get("/v1/health/checks/maint").body()).get(0);
        assertEquals("_service_maintenance:maint-1", check.get("CheckID").asText());
        assertEquals("upgrade", check.get("Notes").asText());

        assertEquals(200, put("/v1/agent/service/maintenance/maint-1?enable=false", "").statusCode());
        assertEquals(1, JSON.readTree(get("/v1/health/service/maint?passing").body()).size());
        assertEquals(200, put("/v1/agent/service/maintenance/maint-1?enable=false", "").statusCode());
        assertEquals(400, put("/v1/agent/service/maintenance/maint-1", "").statusCode());
        assertEquals(404, put("/v1/agent/service/maintenance/no-such-id?enable=true", "").statusCode());
        assertEquals(404, put("/v1/agent/service/maintenance/no-such-id?enable=false", "").statusCode(),
                "as in Consul, an unknown instance is an error whichever way maintenance is switched");
    }

    @Test
    void drainingTakesAnInstanceOutOfPassingLookupsAtOnce() throws Exception {
        put("/v1/agent/service/register", "{\"ID\":\"drain-1\",\"Name\":\"draining\"}");
        assertEquals(200, put("/v1/agent/service/drain/drain-1?period=1m", "").statusCode());
        assertEquals("[]", get("/v1/health/service/draining?passing").body());
        JsonNode check = JSON.readTree(get("/v1/health/checks/draining").body()).get(0);
        assertEquals("_service_drain:drain-1", check.get("CheckID").asText());
        assertEquals("1m0s", check.at("/Definition/DeregisterCriticalServiceAfter").asText());
        assertEquals(400, put("/v1/agent/service/drain/drain-1?period=soon", "").statusCode());
    }

    @Test
    void checksCanBeAddedToAndRemovedFromARegisteredInstance() throws Exception {
        put("/v1/agent/service/register", "{\"ID\":\"later-1\",\"Name\":\"later\"}");
        assertEquals(200, put("/v1/agent/check/register",
                "{\"Name\":\"later-ttl\",\"ServiceID\":\"later-1\",\"TTL\":\"20s\"}").statusCode());
        assertEquals("later-ttl", JSON.readTree(get("/v1/health/checks/later").body()).at("/0/CheckID").asText());
        assertEquals("[]", get("/v1/health/service/later?passing").body());

        assertEquals(200, put("/v1/agent/check/deregister/later-ttl", "").statusCode());
        assertEquals("[]", get("/v1/health/checks/later").body());
        assertEquals(404, put("/v1/agent/check/deregister/later-ttl", "").statusCode());
        assertEquals(404, put("/v1/agent/check/register",
                "{\"Name\":\"x\",\"ServiceID\":\"no-such-id\",\"TTL\":\"20s\"}").statusCode());
        assertEquals(400, put("/v1/agent/check/register", "{\"Name\":\"x\",\"TTL\":\"20s\"}").statusCode());
        assertEquals(422, put("/v1/agent/check/register",
                "{\"Name\":\"x\",\"ServiceID\":\"later-1\",\"HTTP\":\"ftp://x\",\"Interval\":\"5s\"}")
                .statusCode());
    }

    @Test
    void aFailureReportAnswersTheHealthTheOwnerFound() throws Exception {
        HttpResponse<String> reported = put("/v1/agent/service/report/reported-1?outcome=failure", "");
        assertEquals(200, reported.statusCode(), reported.body());
        assertEquals("critical", JSON.readTree(reported.body()).get("Status").asText());
        assertEquals(404, put("/v1/agent/service/report/nobody?outcome=failure", "").statusCode());
        assertEquals(400, put("/v1/agent/service/report/reported-1", "").statusCode());
    }

    @Test
    void statusAndSelfAnswerAsConsulDoes() throws Exception {
        assertEquals("\"127.0.0.1:5701\"", get("/v1/status/leader").body());
        assertEquals("[\"127.0.0.1:5701\"]", get("/v1/status/peers").body());
        JsonNode self = JSON.readTree(get("/v1/agent/self").body());
        assertEquals("dc1", self.at("/Config/Datacenter").asText());
        assertEquals("node-a", self.at("/Config/NodeName").asText());
        assertEquals(0, self.at("/Stats/health/held_failures").asInt());
    }

    static Stream<Arguments> badRequests() {
        String big = "a".repeat(70_000);
        return Stream.of(
                Arguments.of("malformed JSON", "{\"Name\": \"x\",", 400),
                Arguments.of("an empty body", "", 400),
                Arguments.of("a JSON array", "[1,2]", 400),
                Arguments.of("a missing Name", "{\"ID\":\"no-name\",\"Port\":80}", 400),
                Arguments.of("a port of the wrong type", "{\"Name\":\"x\",\"Port\":\"eighty\"}", 400),
                Arguments.of("port 70000", "{\"Name\":\"badport\",\"Port\":70000}", 422),
                Arguments.of("a negative port", "{\"Name\":\"badport\",\"Port\":-1}", 422),
                Arguments.of("a name that is no DNS label", "{\"Name\":\"bad name!\",\"Port\":80}", 422),
                Arguments.of("an interval under 1s", "{\"Name\":\"badcheck\",\"Check\":{\"HTTP\":\"http://x/\","
                        + "\"Interval\":\"10ms\"}}", 422),
                Arguments.of("an unparseable interval", "{\"Name\":\"badcheck\",\"Check\":{\"HTTP\":\"http://x/\","
                        + "\"Interval\":\"soon\"}}", 422),
                Arguments.of("a check of no kind", "{\"Name\":\"badcheck\",\"Check\":{\"Interval\":\"10s\"}}", 422),
                Arguments.of("an unknown check status", "{\"Name\":\"badcheck\",\"Check\":{\"TTL\":\"10s\","
                        + "\"Status\":\"fine\"}}", 422),
                Arguments.of("65 meta pairs", "{\"Name\":\"meta\",\"Meta\":{" + metaPairs(65) + "}}", 422),
                Arguments.of("an over-long meta value", "{\"Name\":\"meta\",\"Meta\":{\"k\":\"" + "v".repeat(513)
                        + "\"}}", 422),
                Arguments.of("a timeout over the interval", "{\"Name\":\"badcheck\",\"Check\":{\"HTTP\":"
                        + "\"http://x/\",\"Interval\":\"5s\",\"Timeout\":\"10s\"}}", 422),
                Arguments.of("a negative interval", "{\"Name\":\"badcheck\",\"Check\":{\"TCP\":\"x:1\","
                        + "\"Interval\":\"-5s\"}}", 422),
                Arguments.of("an unparseable check URL", "{\"Name\":\"badcheck\",\"Check\":{\"HTTP\":"
                        + "\"not a url\",\"Interval\":\"5s\"}}", 422),
                Arguments.of("a TCP target without a port", "{\"Name\":\"badcheck\",\"Check\":{\"TCP\":"
                        + "\"localhost\",\"Interval\":\"5s\"}}", 422),
                Arguments.of("a TCP port over 65535", "{\"Name\":\"badcheck\",\"Check\":{\"TCP\":"
                        + "\"localhost:99999\",\"Interval\":\"5s\"}}", 422),
                Arguments.of("a negative damping threshold", "{\"Name\":\"badcheck\",\"Check\":{\"TTL\":"
                        + "\"5s\",\"FailuresBeforeCritical\":-1}}", 422),
                Arguments.of("an over-long id", "{\"Name\":\"x\",\"ID\":\"" + "i".repeat(257) + "\"}", 422),
                Arguments.of("a namespace that is no DNS label", "{\"Name\":\"x\",\"Namespace\":\"Bad_NS\"}", 422),
                Arguments.of("a body over 64 KiB", "{\"Name\":\"big\",\"Meta\":{\"k\":\"" + big + "\"}}", 413));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("badRequests")
    void badInputIsRejectedWithAJsonErrorAndWritesNothing(String what, String body, int status) throws Exception {
        String catalogBefore = get("/v1/catalog/services").body();
        String indexBefore = get("/v1/catalog/services").headers().firstValue("X-Consul-Index").orElseThrow();

        HttpResponse<String> response = put("/v1/agent/service/register", body);

        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(status, error.get("status").asInt());
        assertFalse(error.get("error").asText().isBlank());
        assertEquals(catalogBefore, get("/v1/catalog/services").body());
        assertEquals(indexBefore, get("/v1/catalog/services").headers().firstValue("X-Consul-Index").orElseThrow());
    }

    @Test
    void unknownRoutesAndWrongMethodsAnswerJson() throws Exception {
        HttpResponse<String> missing = get("/v1/no/such/thing");
        assertEquals(404, missing.statusCode());
        assertEquals(404, JSON.readTree(missing.body()).get("status").asInt());
        HttpResponse<String> wrongMethod = get("/v1/agent/check/register");
        assertEquals(405, wrongMethod.statusCode());
        assertEquals(405, JSON.readTree(wrongMethod.body()).get("status").asInt());
    }

    @Test
    void badQueryParametersAre400() throws Exception {
        assertEquals(400, get("/v1/health/service/web?index=abc").statusCode());
        assertEquals(400, get("/v1/health/service/web?index=1&wait=forever").statusCode());
        assertEquals(400, get("/v1/health/service/web?passing=maybe").statusCode());
    }

    private static String metaPairs(int count) {
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < count; i++) {
            pairs.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        return pairs.toString();
    }

    private static HttpRequest.Builder request(String path) {
        return new LocalApi(base).request(path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return new LocalApi(base).get(path);
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return new LocalApi(base).put(path, body);
    }
}
