package io.meridian.node;

import com.google.common.net.HostAndPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.AgentClient;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.HealthClient;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.QueryOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second real Consul client library, kiwiproject's consul-client (the maintained rickfast one), against a node. */
class KiwiConsulClientTest {

    private static TestNodes cluster;
    private static Consul consul;

    @BeforeAll
    static void start() throws InterruptedException {
        cluster = TestNodes.startThree();
        consul = Consul.builder().withHostAndPort(HostAndPort.fromParts("127.0.0.1", cluster.node(0).httpPort()))
                .build();
    }

    @AfterAll
    static void stop() {
        consul.destroy();
        cluster.close();
    }

    @Test
    void registersPassesItsTtlCheckIsFoundByABlockingQueryAndDeregisters() throws Exception {
        AgentClient agent = consul.agentClient();
        HealthClient health = consul.healthClient();
        ConsulResponse<List<ServiceHealth>> before = health.getHealthyServiceInstances("kiwi");
        assertTrue(before.getResponse().isEmpty());

        CompletableFuture<ConsulResponse<List<ServiceHealth>>> watch = CompletableFuture.supplyAsync(() ->
                health.getHealthyServiceInstances("kiwi", QueryOptions.blockSeconds(30, before.getIndex()).build()));
        agent.register(ImmutableRegistration.builder().id("kiwi-1").name("kiwi").port(9300).addTags("v1")
                .check(Registration.RegCheck.ttl(30)).build());
        agent.pass("kiwi-1", "all good");

        await().atMost(Duration.ofSeconds(20)).until(() -> !health.getHealthyServiceInstances("kiwi").getResponse()
                .isEmpty());
        ConsulResponse<List<ServiceHealth>> woken = watch.get(30, TimeUnit.SECONDS);
        assertTrue(woken.getIndex().compareTo(before.getIndex()) > 0, "the blocking query woke on a change");
        ServiceHealth found = health.getHealthyServiceInstances("kiwi").getResponse().get(0);
        assertEquals("kiwi-1", found.getService().getId());
        assertEquals(9300, found.getService().getPort());
        assertEquals("passing", found.getChecks().get(0).getStatus());

        agent.deregister("kiwi-1");
        assertTrue(health.getAllServiceInstances("kiwi").getResponse().isEmpty());
    }
}
