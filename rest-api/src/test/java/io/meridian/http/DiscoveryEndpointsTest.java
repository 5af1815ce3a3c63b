package io.meridian.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.operator.ClusterState;
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

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consul's node endpoints, the namespace-wide reads that block on the namespace's index, and the agent's view of the
 * instances registered through it, over a real three-member cluster and a real server on an ephemeral loopback port.
 * The server's node is {@code node-a}; the cluster status says three members run, two of them with a Raft seat.
 */
class DiscoveryEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FixedClusterStatus THREE_MEMBERS = new FixedClusterStatus(Optional.of("10.9.0.1:5701"),
            List.of("10.9.0.1:5701", "10.9.0.2:5701"), Duration.ZERO,
            Map.of("10.9.0.1:5701", "node-a", "10.9.0.2:5701", "node-b", "10.9.0.3:5702", "node-c"));
    private static TestCluster cluster;
    private static HazelcastRegistry registry;
    private static ConsulHttpServer server;
    private static LocalApi api;
    private static HazelcastPreparedQueries queries;
    private static final PrometheusMeterRegistry METRICS = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(3);
        registry = new HazelcastRegistry(cluster.member(0),
                new RegistrySettings(256, 8, Duration.ofSeconds(10), "node-a", true), Clock.systemUTC());
        HazelcastAclStore acls = new HazelcastAclStore(cluster.member(0).getCPSubsystem(), Optional.empty(),
                Duration.ofSeconds(10), registry.durableWrites());
        queries = new HazelcastPreparedQueries(cluster.member(0).getCPSubsystem(), Duration.ofSeconds(10),
                registry.durableWrites());
        server = new ConsulHttpServer(new ApiBackends(registry, THREE_MEMBERS,
                (namespace, id) -> CompletableFuture.completedFuture(Optional.empty()), Map::of,
                METRICS, acls, new FixedRaftOperator(),
                new ClusterState(registry, List.of(acls, queries)), new HazelcastUserEvents(cluster.member(0)),
                queries, new HazelcastChangeEvents(cluster.member(0))),
                ApiSettings.defaults("node-a"));
        api = new LocalApi("http://127.0.0.1:" + server.start("127.0.0.1", 0));
        assertEquals(200, put("/v1/agent/service/register", """
                {"ID":"web-1","Name":"web","Address":"10.9.0.1","Port":8080,
                 "Check":{"CheckID":"web-1-ttl","TTL":"60s"}}""").statusCode());
        assertEquals(200, put("/v1/catalog/register", """
                {"Node":"db-host","Address":"10.9.7.7","Service":{"ID":"db-1","Service":"db","Port":5432}}""")
                .statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
        cluster.close();
    }

    /** Sends a blocking query and returns once the server holds it parked, or once it was answered. */
    private static CompletableFuture<HttpResponse<String>> parkedQuery(String path) {
        double parkedBefore = parkedQueries();
        CompletableFuture<HttpResponse<String>> query = api.getLater(path);
        await().atMost(Duration.ofSeconds(10)).until(() -> query.isDone() || parkedQueries() > parkedBefore);
        return query;
    }

    private static double parkedQueries() {
        return METRICS.get("meridian.http.parked.queries").gauge().value();
    }

    @Test
    void theDatacenterListIsTheClustersOwn() throws Exception {
        HttpResponse<String> datacenters = get("/v1/catalog/datacenters");
        assertEquals(200, datacenters.statusCode());
        assertEquals("[\"dc1\"]", datacenters.body());
    }

    @Test
    void membersAreListedAliveWithTheirAddressesAndRoles() throws Exception {
        JsonNode members = JSON.readTree(get("/v1/agent/members").body());
        assertEquals(3, members.size());
        Map<String, JsonNode> byName = new java.util.TreeMap<>();
        members.forEach(member -> byName.put(member.get("Name").asText(), member));
        assertEquals(List.of("node-a", "node-b", "node-c"), List.copyOf(byName.keySet()));
        JsonNode c = byName.get("node-c");
        assertEquals("10.9.0.3", c.get("Addr").asText());
        assertEquals(5702, c.get("Port").asInt());
        assertEquals(1, c.get("Status").asInt(), "alive");
        assertEquals("node", c.at("/Tags/role").asText(), "no Raft seat: not a server");
        assertEquals("consul", byName.get("node-a").at("/Tags/role").asText());
        assertEquals("dc1", c.at("/Tags/dc").asText());
    }

    @Test
    void nodesAreTheMembersAndTheNodesThatInstancesName() throws Exception {
        HttpResponse<String> response = get("/v1/catalog/nodes");
        assertEquals(200, response.statusCode());
        assertTrue(Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow()) > 1);
        Map<String, String> addresses = new java.util.TreeMap<>();
        JSON.readTree(response.body()).forEach(node -> addresses.put(node.get("Node").asText(),
                node.get("Address").asText()));
        assertEquals(Map.of("node-a", "10.9.0.1", "node-b", "10.9.0.2", "node-c", "10.9.0.3",
                "db-host", "10.9.7.7"), addresses);
    }

    @Test
    void aNodesServicesComeByIdOrAsAList() throws Exception {
        JsonNode node = JSON.readTree(get("/v1/catalog/node/db-host").body());
        assertEquals("10.9.7.7", node.at("/Node/Address").asText());
        assertEquals("dc1", node.at("/Node/Datacenter").asText());
        assertEquals(5432, node.at("/Services/db-1/Port").asInt());
        assertEquals("db", node.at("/Services/db-1/Service").asText());

        JsonNode list = JSON.readTree(get("/v1/catalog/node-services/node-a").body());
        assertEquals("node-a", list.at("/Node/Node").asText());
        assertEquals(1, list.get("Services").size());
        assertEquals("web-1", list.at("/Services/0/ID").asText());

        HttpResponse<String> unknown = get("/v1/catalog/node/no-such-node");
        assertEquals(200, unknown.statusCode(), "Consul answers an unknown node with null, not 404");
        assertEquals("null", unknown.body());
        JsonNode unknownList = JSON.readTree(get("/v1/catalog/node-services/no-such-node").body());
        assertTrue(unknownList.get("Node").isNull());
        assertEquals(0, unknownList.get("Services").size());
    }

    @Test
    void aMembersNodeChecksStartWithTheAgentsOwnAndAnyOtherNodeHasOnlyItsInstances() throws Exception {
        JsonNode onMember = JSON.readTree(get("/v1/health/node/node-a").body());
        Map<String, String> statuses = new java.util.LinkedHashMap<>();
        onMember.forEach(check -> statuses.put(check.get("CheckID").asText(), check.get("Status").asText()));
        assertEquals("serfHealth", statuses.keySet().iterator().next());
        assertEquals("passing", statuses.get("serfHealth"));
        assertEquals("critical", statuses.get("web-1-ttl"), "a TTL check starts critical");
        onMember.forEach(check -> assertEquals("node-a", check.get("Node").asText()));

        JsonNode onHost = JSON.readTree(get("/v1/health/node/db-host").body());
        assertEquals(0, onHost.size(), "a third-party node has no agent check, and db-1 has no checks");
        assertEquals("[]", get("/v1/health/node/no-such-node").body());
    }

    @Test
    void checksByStateCarryTheNamespacesIndexAndBlockOnIt() throws Exception {
        HttpResponse<String> critical = get("/v1/health/state/critical");
        assertEquals(200, critical.statusCode());
        long index = Long.parseLong(critical.headers().firstValue("X-Consul-Index").orElseThrow());
        assertTrue(JSON.readTree(critical.body()).findValuesAsText("CheckID").contains("web-1-ttl"));

        CompletableFuture<HttpResponse<String>> parked = parkedQuery(
                "/v1/health/state/critical?index=" + index + "&wait=30s");
        assertFalse(parked.isDone(), "nothing changed: the query waits");
        assertEquals(200, put("/v1/agent/service/register", """
                {"ID":"api-1","Name":"api","Port":9090,"Check":{"CheckID":"api-1-ttl","TTL":"60s"}}""")
                .statusCode());
        HttpResponse<String> woken = parked.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow()) > index);
        assertTrue(JSON.readTree(woken.body()).findValuesAsText("CheckID").contains("api-1-ttl"));
        assertEquals(200, put("/v1/agent/service/deregister/api-1", "").statusCode());
    }

    @Test
    void anInstancesDefinitionCarriesAHashThatAWatcherBlocksOn() throws Exception {
        register("hashed-1", "hashed", 7000);
        HttpResponse<String> first = get("/v1/agent/service/hashed-1");
        assertEquals(200, first.statusCode());
        JsonNode definition = JSON.readTree(first.body());
        String hash = definition.get("ContentHash").asText();
        assertEquals(16, hash.length());
        assertEquals(hash, first.headers().firstValue("X-Consul-ContentHash").orElseThrow());
        assertEquals(7000, definition.get("Port").asInt());
        assertEquals(hash, JSON.readTree(get("/v1/agent/service/hashed-1").body()).get("ContentHash").asText(),
                "the same definition, the same hash");

        CompletableFuture<HttpResponse<String>> parked = parkedQuery(
                "/v1/agent/service/hashed-1?hash=" + hash + "&wait=30s");
        assertFalse(parked.isDone(), "nothing changed: the query waits");
        register("hashed-1", "hashed", 7001);
        JsonNode changed = JSON.readTree(parked.get(20, java.util.concurrent.TimeUnit.SECONDS).body());
        assertEquals(7001, changed.get("Port").asInt());
        assertFalse(hash.equals(changed.get("ContentHash").asText()));
    }

    @Test
    void anInstanceOfAnotherNodeIsNotThisAgents() throws Exception {
        HttpResponse<String> elsewhere = get("/v1/agent/service/db-1");
        assertEquals(404, elsewhere.statusCode());
        assertTrue(JSON.readTree(elsewhere.body()).get("error").asText().contains("db-1"), elsewhere.body());
        assertEquals(404, get("/v1/agent/health/service/id/db-1").statusCode());
        assertEquals(404, get("/v1/agent/health/service/name/db").statusCode());
        assertEquals(404, get("/v1/agent/health/service/name/no-such-service").statusCode());
    }

    @Test
    void theAgentsHealthOfAServiceIsItsWorstCheckInTheStatusAndAsText() throws Exception {
        for (String id : List.of("lb-1", "lb-2")) {
            assertEquals(200, put("/v1/agent/service/register", """
                    {"ID":"%s","Name":"lb","Port":80,"Check":{"CheckID":"%s-ttl","TTL":"60s"}}"""
                    .formatted(id, id)).statusCode());
        }
        HttpResponse<String> critical = get("/v1/agent/health/service/id/lb-1");
        assertEquals(503, critical.statusCode());
        JsonNode health = JSON.readTree(critical.body());
        assertEquals("critical", health.get("AggregatedStatus").asText());
        assertEquals("lb-1", health.at("/Service/ID").asText());
        assertEquals("lb-1-ttl", health.at("/Checks/0/CheckID").asText());

        assertEquals(200, put("/v1/agent/check/pass/lb-1-ttl?note=fine", "").statusCode());
        assertEquals(200, put("/v1/agent/check/warn/lb-2-ttl", "").statusCode());
        HttpResponse<String> passing = get("/v1/agent/health/service/id/lb-1?format=text");
        assertEquals(200, passing.statusCode());
        assertEquals("passing", passing.body());
        HttpResponse<String> byName = get("/v1/agent/health/service/name/lb");
        assertEquals(429, byName.statusCode(), "the worst of passing and warning");
        assertEquals(2, JSON.readTree(byName.body()).size());
        HttpResponse<String> byNameText = get("/v1/agent/health/service/name/lb?format=text");
        assertEquals(429, byNameText.statusCode());
        assertEquals("warning", byNameText.body());
    }

    @Test
    void theNamespaceHeaderNamesTheNamespaceWhenTheQueryDoesNot() throws Exception {
        HttpResponse<String> registered = api.send(api.request("/v1/agent/service/register")
                .header("X-Consul-Namespace", "team-a")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"ID\":\"ns-1\",\"Name\":\"nsweb\",\"Port\":1}")));
        assertEquals(200, registered.statusCode(), registered.body());
        HttpResponse<String> inTeamA = api.send(api.request("/v1/health/service/nsweb")
                .header("X-Consul-Namespace", "team-a").GET());
        assertEquals("ns-1", JSON.readTree(inTeamA.body()).at("/0/Service/ID").asText(),
                "the plain lookup with the header is answered in its namespace");
        assertEquals("[]", get("/v1/health/service/nsweb").body(), "not in the default namespace");
        assertEquals("ns-1", JSON.readTree(get("/v1/health/service/nsweb?ns=team-a").body())
                .at("/0/Service/ID").asText());
        HttpResponse<String> queryWins = api.send(api.request("/v1/health/service/nsweb?ns=default")
                .header("X-Consul-Namespace", "team-a").GET());
        assertEquals("[]", queryWins.body(), "?ns= comes before the header, as in Consul");
    }

    @Test
    void aCachedLookupSaysWhetherTheNodeHeldTheView() throws Exception {
        register("cached-1", "cachedsvc", 1);
        // The node holds a view read within the last second: a lookup right after another is answered from it.
        HttpResponse<String> held = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/v1/health/service/cachedsvc?cached"),
                response -> "HIT".equals(response.headers().firstValue("X-Cache").orElseThrow()));
        assertEquals("0", held.headers().firstValue("Age").orElseThrow());
        assertEquals("cached-1", JSON.readTree(held.body()).at("/0/Service/ID").asText());
        HttpResponse<String> neverRead = get("/v1/catalog/service/never-looked-up?cached");
        assertEquals("MISS", neverRead.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(Optional.empty(), get("/v1/health/service/cachedsvc").headers().firstValue("X-Cache"),
                "only a ?cached lookup says");
    }

    @Test
    void firedEventsAreListedOnEveryMemberAndWakeAWatcherOfTheList() throws Exception {
        HttpResponse<String> before = get("/v1/event/list");
        assertEquals(200, before.statusCode());
        long index = Long.parseLong(before.headers().firstValue("X-Consul-Index").orElseThrow());
        CompletableFuture<HttpResponse<String>> watcher = parkedQuery("/v1/event/list?index=" + index + "&wait=30s");
        assertFalse(watcher.isDone(), "no event yet: the query waits");

        HttpResponse<String> fired = put("/v1/event/fire/deploy?service=web&tag=v2", "build 42");
        assertEquals(200, fired.statusCode(), fired.body());
        JsonNode event = JSON.readTree(fired.body());
        assertEquals("deploy", event.get("Name").asText());
        assertEquals("web", event.get("ServiceFilter").asText());
        assertEquals("v2", event.get("TagFilter").asText());
        assertEquals("build 42", new String(java.util.Base64.getDecoder().decode(event.get("Payload").asText())));

        HttpResponse<String> woken = watcher.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow()) > index);
        assertTrue(JSON.readTree(woken.body()).findValuesAsText("ID").contains(event.get("ID").asText()));

        assertEquals(200, put("/v1/event/fire/flush", "").statusCode());
        JsonNode deploys = JSON.readTree(get("/v1/event/list?name=deploy").body());
        deploys.forEach(each -> assertEquals("deploy", each.get("Name").asText()));
        assertTrue(JSON.readTree(get("/v1/event/list?name=flush").body()).get(0).get("Payload").isNull(),
                "no payload is null, as in Consul");

        // Another member heard it, and so does one that starts listening after it was fired.
        try (HazelcastUserEvents late = new HazelcastUserEvents(cluster.member(2))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> late.recent().stream()
                    .anyMatch(heard -> heard.id().equals(event.get("ID").asText())));
        }
    }

    @Test
    void anEventPayloadOverTheLimitIsRefusedAndNothingIsFired() throws Exception {
        long index = Long.parseLong(get("/v1/event/list").headers().firstValue("X-Consul-Index").orElseThrow());
        HttpResponse<String> refused = put("/v1/event/fire/big", "x".repeat(513));
        assertEquals(413, refused.statusCode());
        assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("512"), refused.body());
        assertEquals(index, Long.parseLong(get("/v1/event/list").headers().firstValue("X-Consul-Index")
                .orElseThrow()));
    }

    @Test
    void aPreparedQueryIsStoredRunByNameOrIdChangedAndDeleted() throws Exception {
        for (String[] instance : new String[][] {{"pq-1", "\"primary\""}, {"pq-2", "\"primary\",\"canary\""},
                {"pq-3", ""}}) {
            assertEquals(200, put("/v1/agent/service/register", """
                    {"ID":"%s","Name":"pq","Port":1,"Tags":[%s]}""".formatted(instance[0], instance[1]))
                    .statusCode());
        }
        assertEquals(200, put("/v1/agent/service/register", """
                {"ID":"pq-4","Name":"pq","Port":1,"Tags":["primary"],"Check":{"TTL":"60s"}}""").statusCode());
        HttpResponse<String> created = api.send(api.request("/v1/query").POST(HttpRequest.BodyPublishers.ofString("""
                {"Name":"pq-primary","Service":{"Service":"pq","Tags":["primary","!canary"],"OnlyPassing":true},
                 "DNS":{"TTL":"10s"}}""")));
        assertEquals(200, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).get("ID").asText();
        assertTrue(queries.committedState().containsKey(HazelcastPreparedQueries.DURABLE_KEY),
                "kept with the cluster's durable state");

        assertEquals(List.of("pq-1"), executed("/v1/query/pq-primary/execute"),
                "tagged primary, not canary, passing: not pq-4, whose TTL check is critical");
        assertEquals(List.of("pq-1"), executed("/v1/query/" + id + "/execute"));
        JsonNode stored = JSON.readTree(get("/v1/query/" + id).body()).get(0);
        assertEquals("pq-primary", stored.get("Name").asText());
        assertEquals("10s", stored.at("/DNS/TTL").asText());
        assertTrue(JSON.readTree(get("/v1/query").body()).findValuesAsText("ID").contains(id));

        assertEquals(200, api.send(api.request("/v1/query/" + id).PUT(HttpRequest.BodyPublishers.ofString("""
                {"Name":"pq-primary","Service":{"Service":"pq","Tags":["primary"]}}"""))).statusCode());
        assertEquals(List.of("pq-1", "pq-2"), executed("/v1/query/pq-primary/execute").stream().sorted().toList());
        assertEquals(1, executed("/v1/query/pq-primary/execute?limit=1").size());

        assertEquals(200, api.send(api.request("/v1/query/" + id).DELETE()).statusCode());
        assertEquals(404, get("/v1/query/" + id).statusCode());
        assertEquals(404, get("/v1/query/pq-primary/execute").statusCode());
        assertEquals(404, api.send(api.request("/v1/query/" + id).DELETE()).statusCode());
    }

    @Test
    void aPreparedQueryThatBreaksARuleIsRefusedAndNothingIsStored() throws Exception {
        int before = queries.all().size();
        assertEquals(200, post("/v1/query", "{\"Name\":\"taken\",\"Service\":{\"Service\":\"a\"}}")
                .statusCode());
        HttpResponse<String> sameName = post("/v1/query", "{\"Name\":\"taken\",\"Service\":{\"Service\":\"b\"}}");
        assertEquals(400, sameName.statusCode());
        assertTrue(JSON.readTree(sameName.body()).get("error").asText().contains("name"), sameName.body());
        assertEquals(400, post("/v1/query", "{\"Name\":\"no-service\"}").statusCode());
        assertEquals(422, post("/v1/query", "{\"Service\":{\"Service\":\"a\"},\"DNS\":{\"TTL\":\"soon\"}}")
                .statusCode());
        assertEquals(422, post("/v1/query", "{\"Service\":{\"Service\":\"a\",\"Near\":\"node-b\"}}")
                .statusCode());
        assertEquals(before + 1, queries.all().size(), "only the first was stored");
        assertEquals(400, get("/v1/query/taken/execute?limit=-1").statusCode());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return api.send(api.request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The instance ids a prepared query's execution answers, in its order. */
    private static List<String> executed(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new java.util.ArrayList<>();
        JSON.readTree(response.body()).get("Nodes").forEach(node -> ids.add(node.at("/Service/ID").asText()));
        return ids;
    }

    private static void register(String id, String service, int port) throws Exception {
        assertEquals(200, put("/v1/agent/service/register", """
                {"ID":"%s","Name":"%s","Port":%d}""".formatted(id, service, port)).statusCode());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return api.get(path);
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return api.put(path, body);
    }
}
