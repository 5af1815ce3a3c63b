package io.meridian.http;

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
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consul's snapshot API on real clusters under default-deny: a snapshot saved from one cluster and restored into a
 * new one brings back the catalog, health, checks and ACLs with their indexes; damaged and foreign files are refused
 * with 400 and change nothing; tokens can be created with given ids.
 */
class SnapshotTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ROOT = "root-secret-for-snapshots";
    private static final String ACCESSOR = "6a1253d2-1785-4fd5-8a2a-0b1d0e8f6b11";
    private static final String SECRET = "3b2b0a52-6f7e-4f43-9a3c-2f1e4d5c6b7a";

    @Test
    void aSnapshotRestoredIntoANewClusterBringsBackEverythingAndDamagedFilesChangeNothing() throws Exception {
        byte[] snapshot;
        String healthBefore;
        String checksBefore;
        String servicesBefore;
        long snapshotIndex;
        long webIndexBefore;
        try (ApiCluster old = new ApiCluster()) {
            for (int i = 0; i < 20; i++) {
                assertEquals(200, old.send("PUT", "/v1/agent/service/register", "{\"ID\":\"web-" + i + "\",\"Name\":"
                        + "\"web\",\"Port\":" + (8000 + i) + ",\"Tags\":[\"v1\"],\"Meta\":{\"zone\":\"a\"}}", ROOT)
                        .statusCode());
            }
            assertEquals(200, old.send("PUT", "/v1/agent/service/register", "{\"ID\":\"db-1\",\"Name\":\"db\"}", ROOT)
                    .statusCode());
            assertEquals(200, old.send("PUT", "/v1/agent/service/maintenance/web-3?enable=true&reason=upgrade", null,
                    ROOT).statusCode());
            assertEquals(200, old.send("PUT", "/v1/agent/service/deregister/db-1", null, ROOT).statusCode());
            assertEquals(200, old.send("PUT", "/v1/acl/policy", "{\"Name\":\"web-read\",\"Rules\":[{\"Namespace\":"
                    + "\"default\",\"ServicePrefix\":\"web\",\"Access\":\"read\"}]}", ROOT).statusCode());
            HttpResponse<String> token = old.send("PUT", "/v1/acl/token", "{\"AccessorID\":\"" + ACCESSOR
                    + "\",\"SecretID\":\"" + SECRET + "\",\"Policies\":[{\"Name\":\"web-read\"}]}", ROOT);
            assertEquals(200, token.statusCode(), token.body());
            assertEquals(SECRET, JSON.readTree(token.body()).get("SecretID").asText(), "the given secret is kept");
            assertEquals(200, old.send("GET", "/v1/health/service/web", null, SECRET).statusCode());
            assertEquals(422, old.send("PUT", "/v1/acl/token", "{\"AccessorID\":\"" + ACCESSOR + "\",\"Policies\":"
                    + "[{\"Name\":\"web-read\"}]}", ROOT).statusCode(), "an accessor id is taken once");
            assertEquals(422, old.send("PUT", "/v1/acl/token", "{\"SecretID\":\"not-a-uuid\",\"Policies\":"
                    + "[{\"Name\":\"web-read\"}]}", ROOT).statusCode());

            assertEquals(403, old.send("GET", "/v1/snapshot", null, SECRET).statusCode(), "needs the management token");
            HttpResponse<byte[]> saved = old.sendForBytes("GET", "/v1/snapshot", ROOT);
            assertEquals(200, saved.statusCode());
            snapshot = saved.body();
            snapshotIndex = Long.parseLong(saved.headers().firstValue("X-Consul-Index").orElseThrow());
            HttpResponse<String> health = old.send("GET", "/v1/health/service/web", null, ROOT);
            healthBefore = health.body();
            webIndexBefore = index(health);
            checksBefore = old.send("GET", "/v1/health/checks/web", null, ROOT).body();
            servicesBefore = old.send("GET", "/v1/catalog/services", null, ROOT).body();
        }

        try (ApiCluster fresh = new ApiCluster()) {
            assertEquals(200, fresh.send("PUT", "/v1/agent/service/register",
                    "{\"ID\":\"stray\",\"Name\":\"stray\"}", ROOT).statusCode());
            for (byte[] damaged : List.of(Arrays.copyOf(snapshot, snapshot.length - 20), flipped(snapshot),
                    "MERIDIAN-SNAPSHOT 1\nnonsense\n".getBytes(), new byte[]{0x1f, (byte) 0x8b, 8, 0, 0},
                    "{\"not\":\"a snapshot\"}".getBytes())) {
                HttpResponse<String> refused = fresh.sendBytes("PUT", "/v1/snapshot", damaged, ROOT);
                assertEquals(400, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("\"error\""), refused.body());
            }
            assertEquals("{\"stray\":[]}", fresh.send("GET", "/v1/catalog/services", null, ROOT).body(),
                    "refused snapshots changed nothing");

            HttpResponse<String> restored = fresh.sendBytes("PUT", "/v1/snapshot", snapshot, ROOT);
            assertEquals(200, restored.statusCode(), restored.body());

            assertEquals(JSON.readTree(healthBefore), JSON.readTree(fresh.send("GET", "/v1/health/service/web", null,
                    ROOT).body()), "instances, their indexes and their checks are as they were");
            assertEquals(JSON.readTree(checksBefore), JSON.readTree(fresh.send("GET", "/v1/health/checks/web", null,
                    ROOT).body()));
            assertEquals(JSON.readTree(servicesBefore), JSON.readTree(fresh.send("GET", "/v1/catalog/services", null,
                    ROOT).body()), "the stray service is gone and db stays deregistered");
            assertEquals(200, fresh.send("GET", "/v1/health/service/web", null, SECRET).statusCode(),
                    "the token from the snapshot works");
            assertEquals(403, fresh.send("PUT", "/v1/agent/service/register", "{\"ID\":\"x\",\"Name\":\"web\"}",
                    SECRET).statusCode(), "with its policy");

            assertTrue(snapshotIndex >= webIndexBefore, "the snapshot's index is its newest write's");
            long indexAfter = index(fresh.send("GET", "/v1/health/service/web", null, ROOT));
            assertTrue(indexAfter >= webIndexBefore, indexAfter + " continues from " + webIndexBefore);
            assertEquals(200, fresh.send("PUT", "/v1/agent/service/register", "{\"ID\":\"web-new\",\"Name\":\"web\"}",
                    ROOT).statusCode());
            assertTrue(index(fresh.send("GET", "/v1/health/service/web", null, ROOT)) > indexAfter);
        }
    }

    private static byte[] flipped(byte[] snapshot) {
        byte[] copy = snapshot.clone();
        copy[copy.length - 40] ^= 0x01;
        return copy;
    }

    private static long index(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
    }

    /** Three members, a registry and ACL store on the first, and its HTTP API under default-deny on port 0. */
    private static final class ApiCluster implements AutoCloseable {

        private final TestCluster cluster = TestCluster.start(3);
        private final HazelcastRegistry registry = new HazelcastRegistry(cluster.member(0),
                RegistrySettings.defaults("snapshot-node"), Clock.systemUTC());
        private final HazelcastAclStore acls = new HazelcastAclStore(cluster.member(0).getCPSubsystem(),
                Optional.of(ROOT), Duration.ofSeconds(10), registry.durableWrites());
        private final ConsulHttpServer server = new ConsulHttpServer(new ApiBackends(registry,
                FixedClusterStatus.ONE_LEADER, (namespace, id) -> CompletableFuture.completedFuture(Optional.empty()),
                Map::of, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), acls, new FixedRaftOperator(),
                new ClusterState(registry, List.of(acls)), new HazelcastUserEvents(cluster.member(0)),
                new HazelcastPreparedQueries(cluster.member(0).getCPSubsystem(), Duration.ofSeconds(10),
                        registry.durableWrites()), new HazelcastChangeEvents(cluster.member(0))),
                ApiSettings.defaults("snapshot-node").withAcl(new AclSettings(true, Optional.empty())));
        private final String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);

        HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
            return HTTP.send(request(method, path, token, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> sendBytes(String method, String path, byte[] body, String token) throws Exception {
            return HTTP.send(request(method, path, token, HttpRequest.BodyPublishers.ofByteArray(body)),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<byte[]> sendForBytes(String method, String path, String token) throws Exception {
            return HTTP.send(request(method, path, token, HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.ofByteArray());
        }

        private HttpRequest request(String method, String path, String token, HttpRequest.BodyPublisher body) {
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .header("X-Consul-Token", token).method(method, body).build();
        }

        @Override
        public void close() {
            server.close();
            registry.close();
            cluster.close();
        }
    }
}
