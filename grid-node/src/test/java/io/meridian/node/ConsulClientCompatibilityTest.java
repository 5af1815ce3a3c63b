package io.meridian.node;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.agent.model.NewService;
import com.ecwid.consul.v1.health.HealthServicesRequest;
import com.ecwid.consul.v1.health.model.HealthService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real Consul client library (Ecwid's consul-api, as Spring Cloud Consul used) against a running node. */
class ConsulClientCompatibilityTest {

    private static TestNodes cluster;
    private static ConsulClient consul;

    @BeforeAll
    static void start() throws InterruptedException {
        cluster = TestNodes.startThree();
        consul = new ConsulClient("127.0.0.1", cluster.node(0).httpPort());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void registersLooksUpWatchesAndDeregisters() throws Exception {
        consul.agentServiceRegister(service("orders-1", "orders", 9001));

        Response<List<HealthService>> healthy = consul.getHealthServices("orders",
                HealthServicesRequest.newBuilder().setPassing(true).build());
        assertEquals(1, healthy.getValue().size());
        HealthService.Service found = healthy.getValue().get(0).getService();
        assertEquals("orders-1", found.getId());
        assertEquals(9001, found.getPort());
        assertEquals(List.of("v1", "blue"), found.getTags());
        assertEquals("eu-west", found.getMeta().get("region"));
        assertEquals("passing", healthy.getValue().get(0).getChecks().get(0).getStatus().name().toLowerCase());
        assertTrue(healthy.getConsulIndex() > 0);
        assertTrue(healthy.isConsulKnownLeader());
        assertTrue(consul.getCatalogServices(QueryParams.DEFAULT).getValue().containsKey("orders"));

        long index = healthy.getConsulIndex();
        CompletableFuture<Response<List<HealthService>>> watch = CompletableFuture.supplyAsync(() ->
                consul.getHealthServices("orders", HealthServicesRequest.newBuilder().setPassing(true)
                        .setQueryParams(new QueryParams(30, index)).build()));
        consul.agentServiceRegister(service("orders-2", "orders", 9002));
        Response<List<HealthService>> woken = watch.get(20, TimeUnit.SECONDS);
        assertEquals(2, woken.getValue().size());
        assertTrue(woken.getConsulIndex() > index);

        consul.agentServiceDeregister("orders-1");
        consul.agentServiceDeregister("orders-2");
        assertTrue(consul.getHealthServices("orders", HealthServicesRequest.newBuilder().build()).getValue()
                .isEmpty());
        assertFalse(consul.getCatalogServices(QueryParams.DEFAULT).getValue().containsKey("orders"));
    }

    @Test
    void aTtlCheckTurnsPassingWhenTheClientRenewsIt() throws Exception {
        NewService service = service("billing-1", "billing", 9100);
        service.getCheck().setStatus(null);
        consul.agentServiceRegister(service);
        Response<List<HealthService>> before = consul.getHealthServices("billing",
                HealthServicesRequest.newBuilder().setPassing(true).build());
        assertTrue(before.getValue().isEmpty(), "a TTL check starts critical");

        CompletableFuture<Response<List<HealthService>>> watch = CompletableFuture.supplyAsync(() ->
                consul.getHealthServices("billing", HealthServicesRequest.newBuilder().setPassing(true)
                        .setQueryParams(new QueryParams(30, before.getConsulIndex())).build()));
        consul.agentCheckPass("service:billing-1", "all good");

        Response<List<HealthService>> woken = watch.get(20, TimeUnit.SECONDS);
        assertEquals(1, woken.getValue().size(), "the watcher wakes when the renewal turns the check passing");
        consul.agentServiceDeregister("billing-1");
    }

    private static NewService service(String id, String name, int port) {
        NewService service = new NewService();
        service.setId(id);
        service.setName(name);
        service.setAddress("127.0.0.1");
        service.setPort(port);
        service.setTags(List.of("v1", "blue"));
        service.setMeta(Map.of("region", "eu-west"));
        NewService.Check check = new NewService.Check();
        check.setTtl("30s");
        check.setStatus("passing");
        check.setDeregisterCriticalServiceAfter("1m");
        service.setCheck(check);
        return service;
    }
}
