package io.meridian.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.consul.BlockingQueryOptions;
import io.vertx.ext.consul.Check;
import io.vertx.ext.consul.CheckOptions;
import io.vertx.ext.consul.CheckStatus;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ConsulClientOptions;
import io.vertx.ext.consul.Event;
import io.vertx.ext.consul.EventOptions;
import io.vertx.ext.consul.HealthState;
import io.vertx.ext.consul.Node;
import io.vertx.ext.consul.PreparedQueryDefinition;
import io.vertx.ext.consul.PreparedQueryExecuteResponse;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceEntryList;
import io.vertx.ext.consul.ServiceOptions;
import io.vertx.ext.consul.ServiceQueryOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vert.x Consul client ({@code io.vertx:vertx-consul-client}, which Quarkus' Stork uses too) against three real
 * nodes, through the endpoints it has calls for: datacenters, nodes, a node's services, agent services and checks,
 * registration with a TTL check, check updates, health by service and by state (blocking), third-party registration,
 * user events, prepared queries, and the Raft status.
 */
class VertxConsulClientTest {

    private static TestNodes cluster;
    private static Vertx vertx;
    private static ConsulClient consul;

    @BeforeAll
    static void start() throws InterruptedException {
        cluster = TestNodes.startThree();
        vertx = Vertx.vertx();
        consul = ConsulClient.create(vertx, new ConsulClientOptions().setHost("127.0.0.1")
                .setPort(cluster.node(0).httpPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        consul.close();
        join(vertx.close());
        cluster.close();
    }

    @Test
    void theClusterIsOneDatacenterWhoseNodesAreItsMembers() throws Exception {
        assertEquals(List.of("dc1"), join(consul.catalogDatacenters()));
        List<String> nodes = join(consul.catalogNodes()).getList().stream().map(Node::getName).sorted().toList();
        assertEquals(List.of("node-0", "node-1", "node-2"), nodes);
        assertTrue(join(consul.leaderStatus()).startsWith("127.0.0.1:"));
        assertEquals(3, join(consul.peersStatus()).size());
    }

    @Test
    void registersUpdatesItsTtlCheckWakesABlockingQueryAndDeregisters() throws Exception {
        join(consul.registerService(new ServiceOptions().setId("vertx-1").setName("vertx").setPort(9400)
                .setTags(List.of("v1")).setCheckOptions(new CheckOptions().setId("vertx-1-ttl").setTtl("30s"))));
        assertTrue(join(consul.localServices()).stream().map(Service::getId).toList().contains("vertx-1"));
        assertEquals(CheckStatus.CRITICAL, status(join(consul.healthChecks("vertx")).getList()));
        assertTrue(join(consul.healthState(HealthState.CRITICAL)).getList().stream()
                .anyMatch(check -> check.getId().equals("vertx-1-ttl")));

        ServiceEntryList passingBefore = join(consul.healthServiceNodes("vertx", true));
        assertTrue(passingBefore.getList().isEmpty(), "a TTL check starts critical");
        CompletableFuture<ServiceEntryList> watch = consul.healthServiceNodesWithOptions("vertx", true,
                new ServiceQueryOptions().setBlockingOptions(new BlockingQueryOptions()
                        .setIndex(passingBefore.getIndex()).setWait("30s"))).toCompletionStage().toCompletableFuture();
        join(consul.updateCheckWithNote("vertx-1-ttl", CheckStatus.PASSING, "all good"));
        ServiceEntryList woken = watch.get(30, TimeUnit.SECONDS);
        assertTrue(woken.getIndex() > passingBefore.getIndex(), "the blocking query woke on a change");
        assertEquals(9400, woken.getList().get(0).getService().getPort());
        assertEquals(CheckStatus.PASSING, status(join(consul.localChecks()).stream()
                .filter(check -> check.getId().equals("vertx-1-ttl")).toList()));
        assertTrue(join(consul.catalogNodeServices("node-0")).getList().stream()
                .anyMatch(service -> service.getId().equals("vertx-1")));

        join(consul.deregisterService("vertx-1"));
        assertTrue(join(consul.healthServiceNodes("vertx", false)).getList().isEmpty());
    }

    @Test
    void aThirdPartyRegistrationNamesItsOwnNode() throws Exception {
        join(consul.registerCatalogService(new Node().setName("legacy-host").setAddress("10.20.0.7"),
                new ServiceOptions().setId("legacy-1").setName("legacy").setPort(5432)));
        Node node = join(consul.catalogNodes()).getList().stream()
                .filter(each -> each.getName().equals("legacy-host")).findFirst().orElseThrow();
        assertEquals("10.20.0.7", node.getAddress());
        assertEquals(List.of("legacy-1"), join(consul.catalogNodeServices("legacy-host")).getList().stream()
                .map(Service::getId).toList());
        join(consul.deregisterCatalogService("legacy-host", "legacy-1"));
        assertFalse(join(consul.catalogNodes()).getList().stream()
                .anyMatch(each -> each.getName().equals("legacy-host")));
    }

    @Test
    void anEventFiredThroughOneNodeIsListedByAnother() throws Exception {
        Event fired = join(consul.fireEventWithOptions("vertx-deploy", new EventOptions().setPayload("v2")));
        ConsulClient other = ConsulClient.create(vertx, new ConsulClientOptions().setHost("127.0.0.1")
                .setPort(cluster.node(1).httpPort()));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> join(other.listEvents()).getList().stream()
                    .anyMatch(event -> event.getId().equals(fired.getId()) && "v2".equals(event.getPayload())));
        } finally {
            other.close();
        }
    }

    @Test
    void aPreparedQueryIsCreatedRunAndDeleted() throws Exception {
        join(consul.registerService(new ServiceOptions().setId("pq-v1").setName("vertx-pq").setPort(1)
                .setTags(List.of("v1"))));
        join(consul.registerService(new ServiceOptions().setId("pq-v2").setName("vertx-pq").setPort(2)
                .setTags(List.of("v2"))));
        String id = join(consul.createPreparedQuery(new PreparedQueryDefinition().setName("vertx-v1")
                .setService("vertx-pq").setTags(List.of("v1")).setPassing(true).setDnsTtl("5s")));
        assertEquals("vertx-pq", join(consul.getPreparedQuery(id)).getService());
        PreparedQueryExecuteResponse run = join(consul.executePreparedQuery("vertx-v1"));
        assertEquals(List.of("pq-v1"), run.getNodes().stream().map(entry -> entry.getService().getId()).toList());
        assertEquals("5s", run.getDnsTtl());
        join(consul.deletePreparedQuery(id));
        assertTrue(join(consul.getAllPreparedQueries()).stream().noneMatch(query -> query.getId().equals(id)));
    }

    /** The status of the one check in the list. */
    private static CheckStatus status(List<Check> checks) {
        assertEquals(1, checks.size(), checks.toString());
        return checks.get(0).getStatus();
    }

    private static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
