package io.meridian.node;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipAdapter;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import io.meridian.operator.AutopilotSettings;
import io.meridian.operator.RaftServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static io.meridian.node.TestNodes.address;
import static io.meridian.node.TestNodes.get;
import static io.meridian.node.TestNodes.put;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CP group follows the cluster: dead voters leave it, waiting and restarted members fill it, writes go on. */
class CpMembershipTest {

    private static final Duration SEATS_SETTLE = Duration.ofSeconds(45);

    @Test
    void aDeadVoterIsRemovedAndAWaitingMemberTakesItsSeat() throws Exception {
        NodeConfig base = TestNodes.config(4).withAutopilot(autopilot(Duration.ofSeconds(3)));
        try (TestNodes cluster = TestNodes.startFirst(base, 3)) {
            MeridianNode spare = cluster.add(3);
            await().atMost(SEATS_SETTLE).untilAsserted(() -> assertEquals(3, voters(spare).size()));
            assertFalse(voters(spare).contains(address(spare)), "the CP group is full: the fourth member waits");
            HttpResponse<String> leader = get(spare, "/v1/status/leader");
            assertEquals('"' + address(cluster.leader()) + '"', leader.body(),
                    "a member without a seat knows the leader");
            // Its reads open once its start-up sync is done, as /readyz says; until then a lookup answers 503.
            await().atMost(SEATS_SETTLE).untilAsserted(() -> assertEquals(200, get(spare, "/readyz").statusCode()));
            HttpResponse<String> lookup = get(spare, "/v1/health/service/nothing");
            assertEquals(200, lookup.statusCode(), lookup.body());
            assertEquals("true", lookup.headers().firstValue("X-Consul-KnownLeader").orElseThrow());

            cluster.kill(cluster.node(1));
            registerWithin(spare, "after-kill", Duration.ofSeconds(15));
            await().atMost(SEATS_SETTLE).untilAsserted(() -> assertEquals(running(cluster), voters(spare)));
            registerWithin(spare, "after-replacement", Duration.ofSeconds(15));
            awaitHealthy(spare);
        }
    }

    @Test
    void aRestartedMemberTakesItsOwnSeatBackAtOnce() throws Exception {
        NodeConfig base = TestNodes.config(3).withAutopilot(autopilot(Duration.ofMinutes(10)));
        try (TestNodes cluster = TestNodes.startFirst(base, 3)) {
            MeridianNode stopped = cluster.node(1);
            String seat = address(stopped);
            cluster.kill(stopped);
            registerWithin(cluster.node(0), "while-down", Duration.ofSeconds(15));

            MeridianNode restarted = cluster.add(1);
            assertEquals(seat, address(restarted));
            await().atMost(SEATS_SETTLE).untilAsserted(() -> {
                assertEquals(running(cluster), voters(cluster.node(0)));
                assertEquals(3, cluster.node(0).operator().configuration().servers().size(),
                        "the previous run's CP member is gone");
            });
            registerWithin(restarted, "after-restart", Duration.ofSeconds(15));
        }
    }

    @Test
    void clientsHearAGracefulLeaveAndAVoterStoppedRightAfterARestartWaitsForItsSeat() throws Exception {
        NodeConfig base = TestNodes.config(3).withAutopilot(autopilot(Duration.ofSeconds(30)));
        try (TestNodes cluster = TestNodes.startFirst(base, 3)) {
            MeridianNode first = cluster.node(0);
            MeridianNode second = cluster.node(1);
            List<Member> left = new CopyOnWriteArrayList<>();
            HazelcastInstance client = HazelcastClient.newHazelcastClient(clientOf(base));
            try {
                client.getCluster().addMembershipListener(new MembershipAdapter() {
                    @Override
                    public void memberRemoved(MembershipEvent event) {
                        left.add(event.getMember());
                    }
                });
                cluster.stop(first);
                // A graceful leave is announced, not detected: clients hear of it long before any heartbeat timeout.
                await().atMost(Duration.ofSeconds(10)).until(() -> !left.isEmpty());
            } finally {
                client.shutdown();
            }
            MeridianNode restarted = cluster.add(0);
            // As a StatefulSet rolls: the next member goes as soon as the restarted one is up, seated or not.
            cluster.stop(second);
            registerWithin(restarted, "after-two-stops", Duration.ofSeconds(15));
            cluster.add(1);
            await().atMost(SEATS_SETTLE).untilAsserted(() -> assertEquals(running(cluster), voters(restarted)));
        }
    }

    @Test
    void resizingFromThreeToFiveToThreeKeepsWritingAndEndsWithRunningVoters() throws Exception {
        NodeConfig base = TestNodes.config(5).withAutopilot(autopilot(Duration.ofSeconds(3)));
        try (TestNodes cluster = TestNodes.startFirst(base, 3)) {
            List<MeridianNode> original = List.copyOf(cluster.nodes());
            MeridianNode fourth = cluster.add(3);
            registerWithin(fourth, "at-four", Duration.ofSeconds(15));
            MeridianNode fifth = cluster.add(4);
            registerWithin(fifth, "at-five", Duration.ofSeconds(15));
            // The fifth member's first look at the CP Subsystem may still be on its way.
            await().atMost(SEATS_SETTLE).untilAsserted(() -> assertEquals(3, voters(fifth).size()));
            assertEquals(3, fifth.operator().configuration().servers().size(),
                    "a CP group of 3 stays at 3 with 5 members, and nobody waits seated beyond it");

            cluster.stop(original.get(0));
            registerWithin(fifth, "at-four-again", Duration.ofSeconds(15));
            awaitHealthy(fifth);
            cluster.stop(original.get(1));
            registerWithin(fifth, "at-three-again", Duration.ofSeconds(15));
            await().atMost(SEATS_SETTLE).untilAsserted(() -> assertEquals(running(cluster), voters(fifth)));
            for (String id : List.of("at-four", "at-five", "at-four-again", "at-three-again")) {
                assertTrue(get(fourth, "/v1/health/service/resize").body().contains('"' + id + '"'), id);
            }
        }
    }

    /** Waits, as an operator would between steps, until autopilot reports every seat filled by a healthy server. */
    private static void awaitHealthy(MeridianNode node) {
        await().atMost(SEATS_SETTLE).untilAsserted(() -> assertEquals(200, get(node,
                "/v1/operator/autopilot/health").statusCode()));
    }

    private static ClientConfig clientOf(NodeConfig config) {
        ClientConfig client = new ClientConfig().setClusterName(config.clusterName());
        client.getNetworkConfig().setAddresses(config.members());
        client.setProperty("hazelcast.phone.home.enabled", "false");
        return client;
    }

    private static AutopilotSettings autopilot(Duration deadServerThreshold) {
        return new AutopilotSettings(true, Duration.ofSeconds(1), 250, 0, Duration.ofSeconds(1), deadServerThreshold);
    }

    private static Set<String> voters(MeridianNode node) {
        return node.operator().configuration().servers().stream().filter(RaftServer::voter).map(RaftServer::address)
                .collect(Collectors.toSet());
    }

    private static Set<String> running(TestNodes cluster) {
        return cluster.nodes().stream().map(TestNodes::address).collect(Collectors.toSet());
    }

    private static void registerWithin(MeridianNode node, String id, Duration bound) {
        await().atMost(bound).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> assertEquals(
                200, put(node, "/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"resize\"}")
                        .statusCode()));
    }
}
