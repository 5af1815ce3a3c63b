package io.meridian.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.acl.AclStore;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.dns.DnsAnswerer;
import io.meridian.dns.DnsServer;
import io.meridian.dns.DnsSettings;
import io.meridian.operator.ClusterState;
import io.meridian.registry.grid.HazelcastChangeEvents;
import io.meridian.registry.grid.HazelcastPreparedQueries;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.HazelcastUserEvents;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.URI;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACLs in default-deny mode on a real cluster: tokens in each of their three places, read and write by namespace and
 * service prefix, every endpoint family, administration, revocation, and DNS answering with its configured token.
 */
class AclTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ROOT = "root-secret-for-tests";

    private static TestCluster cluster;
    private static HazelcastRegistry registry;
    private static HazelcastAclStore store;
    private static ConsulHttpServer server;
    private static DnsServer dns;
    private static String base;
    private static String writer;
    private static String reader;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(3);
        registry = new HazelcastRegistry(cluster.member(0), RegistrySettings.defaults("acl-node"), Clock.systemUTC());
        store = new HazelcastAclStore(cluster.member(0).getCPSubsystem(), Optional.of(ROOT), Duration.ofSeconds(10),
                registry.durableWrites());
        server = new ConsulHttpServer(new ApiBackends(registry, FixedClusterStatus.ONE_LEADER, (namespace, id) ->
                CompletableFuture.completedFuture(Optional.empty()), Map::of,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), store, new FixedRaftOperator(),
                new ClusterState(registry, List.of(store)), new HazelcastUserEvents(cluster.member(0)),
                new HazelcastPreparedQueries(cluster.member(0).getCPSubsystem(), Duration.ofSeconds(10),
                        registry.durableWrites()), new HazelcastChangeEvents(cluster.member(0))),
                ApiSettings.defaults("acl-node").withAcl(new AclSettings(true, Optional.empty())));
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);

        assertEquals(200, send("PUT", "/v1/acl/policy", "{\"Name\":\"web-write\",\"Rules\":[{\"Namespace\":\"default\","
                + "\"ServicePrefix\":\"web\",\"Access\":\"write\"}]}", ROOT).statusCode());
        assertEquals(200, send("PUT", "/v1/acl/policy", "{\"Name\":\"api-read\",\"Rules\":[{\"Namespace\":\"*\","
                + "\"ServicePrefix\":\"api\",\"Access\":\"read\"}]}", ROOT).statusCode());
        writer = secret(send("PUT", "/v1/acl/token", "{\"Description\":\"deployer\",\"Policies\":[{\"Name\":"
                + "\"web-write\"}]}", ROOT));
        reader = secret(send("PUT", "/v1/acl/token", "{\"Policies\":[{\"Name\":\"api-read\"}]}", ROOT));
        dns = DnsServer.start(new DnsAnswerer(registry, DnsSettings.defaults(), "dc1",
                new AclSettings(true, Optional.of(reader)).dnsPermissions(store)), new SimpleMeterRegistry(),
                "127.0.0.1", 0);

        assertEquals(200, register("web-1", "web", ROOT).statusCode());
        assertEquals(200, register("api-1", "api", ROOT).statusCode());
    }

    @AfterAll
    static void stop() {
        dns.close();
        server.close();
        registry.close();
        cluster.close();
    }

    @Test
    void theOperatorApiNeedsTheManagementTokenAndTheProbesNeedNone() throws Exception {
        for (String path : List.of("/v1/operator/raft/configuration", "/v1/operator/autopilot/health",
                "/v1/operator/autopilot/configuration")) {
            assertEquals(401, send("GET", path, null, null).statusCode(), path);
            assertEquals(403, send("GET", path, null, writer).statusCode(), path);
            assertEquals(200, send("GET", path, null, ROOT).statusCode(), path);
        }
        assertEquals(403, send("DELETE", "/v1/operator/raft/peer?address=127.0.0.1:5701&force", null, writer)
                .statusCode());
        assertEquals(403, send("PUT", "/v1/operator/autopilot/configuration", "{\"MinQuorum\":1}", writer)
                .statusCode());
        assertEquals(200, send("GET", "/readyz", null, null).statusCode());
        assertEquals(200, send("GET", "/livez", null, null).statusCode());
    }

    @Test
    void withoutAKnownTokenRequestsAre401ButStatusAndMetricsStayOpen() throws Exception {
        assertEquals(401, send("GET", "/v1/health/service/api", null, null).statusCode());
        assertEquals(401, send("GET", "/v1/catalog/services", null, null).statusCode());
        assertEquals(401, register("nobody-1", "web", null).statusCode());
        HttpResponse<String> unknown = send("GET", "/v1/health/service/api", null, "no-such-token");
        assertEquals(401, unknown.statusCode());
        assertEquals(401, JSON.readTree(unknown.body()).get("status").asInt());
        assertEquals(200, send("GET", "/v1/status/leader", null, null).statusCode());
        assertEquals(200, send("GET", "/metrics", null, null).statusCode());
    }

    @Test
    void aTokenIsReadFromEachOfItsThreePlaces() throws Exception {
        assertEquals(200, send("GET", "/v1/health/service/api", null, reader).statusCode());
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/health/service/api"))
                .header("Authorization", "Bearer " + reader).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
        assertEquals(200, send("GET", "/v1/health/service/api?token=" + reader, null, null).statusCode());
    }

    @Test
    void writesNeedWriteOnTheServiceAndARefusedOneWritesNothing() throws Exception {
        assertEquals(200, register("web-2", "web-frontend", writer).statusCode(), "the prefix covers web-frontend");
        assertEquals(403, register("api-2", "api", writer).statusCode());
        assertEquals(403, register("api-3", "api", reader).statusCode(), "read does not cover write");
        assertEquals(403, send("PUT", "/v1/catalog/register", "{\"Node\":\"n\",\"Service\":{\"ID\":\"api-4\","
                + "\"Service\":\"api\"}}", writer).statusCode());
        assertEquals(List.of("api-1"), ids(send("GET", "/v1/health/service/api", null, ROOT)));

        assertEquals(403, send("PUT", "/v1/agent/service/deregister/api-1", null, writer).statusCode());
        assertEquals(403, send("PUT", "/v1/agent/check/pass/service:api-1", null, writer).statusCode());
        assertEquals(403, send("PUT", "/v1/agent/service/maintenance/api-1?enable=true", null, writer)
                .statusCode());
        assertEquals(200, send("PUT", "/v1/agent/check/pass/service:web-2", null, writer).statusCode());
        assertEquals(200, send("PUT", "/v1/agent/service/deregister/web-2", null, writer).statusCode());
    }

    /**
     * Requests that a token may not make, though it holds write on the service it names: one row per bypass, with
     * the answer it gets.
     */
    static Stream<Arguments> bypasses() {
        return Stream.of(
                Arguments.of("re-registering another service's instance id under a service the token may write",
                        "PUT", "/v1/agent/service/register",
                        "{\"ID\":\"api-1\",\"Name\":\"web-evil\",\"Port\":80}", "writer", 403),
                Arguments.of("the same through the catalog", "PUT", "/v1/catalog/register",
                        "{\"Node\":\"n\",\"Service\":{\"ID\":\"api-1\",\"Service\":\"web-evil\"}}", "writer", 403),
                Arguments.of("a failure report (it can turn the instance critical) with read only",
                        "PUT", "/v1/agent/service/report/api-1?outcome=failure", "", "reader", 403),
                Arguments.of("a failure report with no right at all on the service",
                        "PUT", "/v1/agent/service/report/api-1?outcome=failure", "", "writer", 403),
                Arguments.of("registering an instance with another instance's check id", "PUT",
                        "/v1/agent/service/register", "{\"ID\":\"web-evil-1\",\"Name\":\"web-evil\",\"Check\":"
                                + "{\"CheckID\":\"service:api-1\",\"TTL\":\"30s\"}}", "writer", 409),
                Arguments.of("adding another instance's check id to an instance the token may write", "PUT",
                        "/v1/agent/check/register", "{\"CheckID\":\"service:api-1\",\"ServiceID\":\"web-1\","
                                + "\"TTL\":\"30s\"}", "writer", 409));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bypasses")
    void aTokenCannotReachAnotherServicesInstance(String bypass, String method, String path, String body,
                                                   String token, int status) throws Exception {
        HttpResponse<String> refused = send(method, path, body, "writer".equals(token) ? writer : reader);
        assertEquals(status, refused.statusCode(), bypass + ": " + refused.body());
        assertEquals(List.of("api-1"), ids(send("GET", "/v1/health/service/api", null, ROOT)));
        assertEquals(List.of("web-1"), ids(send("GET", "/v1/health/service/web", null, ROOT)));
        assertEquals(0, JSON.readTree(send("GET", "/v1/health/service/web-evil", null, ROOT).body()).size());
        assertEquals("passing", JSON.readTree(send("GET", "/v1/health/service/api", null, ROOT).body())
                .at("/0/Checks/0/Status").asText());
        assertEquals(200, send("PUT", "/v1/agent/check/pass/service:api-1", null, ROOT).statusCode(),
                "the owner's renewals still land");
    }

    @Test
    void lookupsReturnOnlyWhatTheTokenMayRead() throws Exception {
        assertEquals(403, send("GET", "/v1/health/service/web", null, reader).statusCode());
        assertEquals(403, send("GET", "/v1/catalog/service/web", null, reader).statusCode());
        assertEquals(403, send("GET", "/v1/health/checks/web", null, reader).statusCode());
        HttpResponse<String> catalog = send("GET", "/v1/catalog/services", null, reader);
        JsonNode services = JSON.readTree(catalog.body());
        assertTrue(services.has("api"));
        assertFalse(services.has("web"));
        HttpResponse<String> inState = send("GET", "/v1/health/state/any", null, reader);
        JsonNode checks = JSON.readTree(inState.body());
        assertTrue(checks.size() >= 1);
        checks.forEach(check -> assertEquals("api", check.get("ServiceName").asText()));
        HttpResponse<String> agentServices = send("GET", "/v1/agent/services", null, reader);
        assertFalse(JSON.readTree(agentServices.body()).has("web-1"));
        HttpResponse<String> nodeServices = send("GET", "/v1/catalog/node-services/acl-node", null, reader);
        JSON.readTree(nodeServices.body()).get("Services")
                .forEach(service -> assertEquals("api", service.get("Service").asText()));
        for (HttpResponse<String> filtered : List.of(catalog, inState, agentServices, nodeServices)) {
            assertEquals(Optional.of("true"), filtered.headers().firstValue("X-Consul-Results-Filtered-By-ACLs"),
                    filtered.uri() + " says that the token hid results");
        }
        HttpResponse<String> everything = send("GET", "/v1/agent/services", null, ROOT);
        assertTrue(JSON.readTree(everything.body()).has("web-1"));
        assertEquals(Optional.empty(), everything.headers().firstValue("X-Consul-Results-Filtered-By-ACLs"),
                "a token that hid nothing is not said to have");
    }

    @Test
    void onlyAManagementTokenAdministersAclsAndADeletedTokenStopsWorking() throws Exception {
        assertEquals(403, send("GET", "/v1/acl/policies", null, writer).statusCode());
        assertEquals(403, send("PUT", "/v1/acl/token", "{\"Policies\":[{\"Name\":\"web-write\"}]}", writer)
                .statusCode());
        assertEquals(422, send("PUT", "/v1/acl/token", "{\"Policies\":[{\"Name\":\"no-such-policy\"}]}", ROOT)
                .statusCode());
        HttpResponse<String> created = send("PUT", "/v1/acl/token", "{\"Policies\":[{\"Name\":\"api-read\"}]}", ROOT);
        String secret = JSON.readTree(created.body()).get("SecretID").asText();
        String accessor = JSON.readTree(created.body()).get("AccessorID").asText();
        assertEquals(200, send("GET", "/v1/health/service/api", null, secret).statusCode());

        AclStore onAnotherMember = new HazelcastAclStore(cluster.member(2).getCPSubsystem(), Optional.empty(),
                Duration.ofSeconds(10), registry.durableWrites());
        assertTrue(onAnotherMember.resolve(secret).isPresent(), "tokens are committed to the cluster");
        Object stored = cluster.member(1).getCPSubsystem().getAtomicReference("meridian-acl").get();
        assertFalse(stored.toString().contains(secret), "only the secret's hash is stored");

        assertEquals(200, send("DELETE", "/v1/acl/token/" + accessor, null, ROOT).statusCode());
        assertEquals(401, send("GET", "/v1/health/service/api", null, secret).statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> onAnotherMember.resolve(secret).isEmpty());
    }

    @Test
    void dnsAnswersWithTheRightsOfItsConfiguredToken() throws Exception {
        assertEquals(Rcode.NOERROR, dig("api.service.consul.").getRcode());
        assertEquals(Rcode.NXDOMAIN, dig("web.service.consul.").getRcode(), "the DNS token may not read web");
        assertEquals(Rcode.NXDOMAIN, dig("web-1.node.dc1.consul.").getRcode());
    }

    private static Message dig(String name) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(dns.port());
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
    }

    private static HttpResponse<String> register(String id, String service, String token) throws Exception {
        return send("PUT", "/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"" + service
                + "\",\"Address\":\"10.8.0.1\",\"Port\":80,\"Check\":{\"TTL\":\"1m\",\"Status\":\"passing\"}}", token);
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String secret(HttpResponse<String> created) throws Exception {
        assertEquals(200, created.statusCode(), created.body());
        return JSON.readTree(created.body()).get("SecretID").asText();
    }

    private static List<String> ids(HttpResponse<String> response) throws Exception {
        return java.util.stream.StreamSupport.stream(JSON.readTree(response.body()).spliterator(), false)
                .map(entry -> entry.at("/Service/ID").asText()).toList();
    }
}
