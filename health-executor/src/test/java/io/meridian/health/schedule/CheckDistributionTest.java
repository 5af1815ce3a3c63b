package io.meridian.health.schedule;

import com.hazelcast.core.HazelcastInstance;
import io.meridian.health.check.Probers;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 3,000 TCP checks spread over the members by ownership, and moving when a member dies or joins. */
class CheckDistributionTest {

    private static final int INSTANCES = 3_000;
    private static final Duration INTERVAL = Duration.ofSeconds(3);

    private final Map<HazelcastInstance, CheckScheduler> schedulers = new LinkedHashMap<>();
    private final List<HazelcastRegistry> registries = new ArrayList<>();
    private final List<Probers> probers = new ArrayList<>();
    private TestCluster cluster;
    private AcceptingServer target;

    @BeforeEach
    void start() throws IOException {
        target = new AcceptingServer();
        cluster = TestCluster.start(3);
        cluster.members().forEach(this::startChecking);
    }

    @AfterEach
    void stop() throws IOException {
        schedulers.values().forEach(CheckScheduler::close);
        probers.forEach(Probers::close);
        registries.forEach(HazelcastRegistry::close);
        cluster.close();
        target.close();
    }

    @Test
    void everyCheckRunsOnExactlyOneMemberAndMovesWhenMembersLeaveOrJoin() {
        HazelcastRegistry registry = registries.get(0);
        IntStream.range(0, INSTANCES).parallel().forEach(i -> registry.register(instance(i)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertSpreadOver(3));

        HazelcastInstance victim = cluster.member(2);
        schedulers.remove(victim).close();
        long killedAt = System.nanoTime();
        cluster.terminate(victim);
        await().atMost(INTERVAL.plusSeconds(5)).untilAsserted(() -> assertSpreadOver(2));
        System.out.printf("checks of a terminated member running elsewhere after %d ms%n",
                (System.nanoTime() - killedAt) / 1_000_000);

        HazelcastInstance joiner = cluster.addMember();
        startChecking(joiner);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertSpreadOver(3));
    }

    /**
     * Every check runs somewhere, on one member only, and each member runs 20-47% of them when there are three. The
     * checks sit in 240 slices (30 services, 8 buckets) that land on partitions by hash, so a member's share varies by
     * about 3 points around a third: the bounds are more than four of those away (25% was under three, and CI once
     * saw 24.8%).
     */
    private void assertSpreadOver(int members) {
        assertEquals(members, schedulers.size());
        Set<String> all = new HashSet<>();
        int total = 0;
        for (CheckScheduler scheduler : schedulers.values()) {
            Set<String> running = scheduler.runningChecks();
            total += running.size();
            all.addAll(running);
            if (members == 3) {
                double share = running.size() / (double) INSTANCES;
                assertTrue(share >= 0.20 && share <= 0.47, "a member runs " + running.size() + " checks");
            }
        }
        assertEquals(INSTANCES, all.size(), "every check runs");
        assertEquals(INSTANCES, total, "no check runs on two members");
    }

    private void startChecking(HazelcastInstance member) {
        HazelcastRegistry registry = new HazelcastRegistry(member,
                new RegistrySettings(256, 8, Duration.ofSeconds(10), "node", true), Clock.systemUTC());
        registries.add(registry);
        Probers memberProbers = Probers.standard(registry.checkRecords(), Clock.systemUTC());
        probers.add(memberProbers);
        schedulers.put(member, new CheckScheduler(registry, member, cluster.tasks(member), memberProbers,
                Clock.systemUTC()).start(Duration.ofMillis(500)));
    }

    private ServiceInstance instance(int i) {
        Check check = new Check("service:tcp-" + i, "tcp", CheckKind.TCP, "127.0.0.1:" + target.port(), null,
                INTERVAL, Duration.ofSeconds(1), null, null, null, HealthStatus.CRITICAL, "");
        return new ServiceInstance(ServiceInstance.DEFAULT_NAMESPACE, "svc-" + (i % 30), "tcp-" + i, "127.0.0.1",
                8080, List.of(), Map.of(), Weights.DEFAULT, false, List.of(check), "");
    }
}
