package io.meridian.client.balance;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distributions over 10,000 picks, each share within 2 percentage points of what the strategy promises. */
class LoadBalancerTest {

    private static final int PICKS = 10_000;

    @Test
    void smoothWeightedRoundRobinGivesEachItsWeightsShareFromWeightsOrMeta() {
        List<InstanceEntry> instances = List.of(
                entry("a", 5, Map.of(), List.of()),
                entry("b", 1, Map.of("weight", "3"), List.of()),
                entry("c", 2, Map.of("weight", "not a number"), List.of()));
        Map<String, Integer> picks = pick(new SmoothWeightedRoundRobin(), instances);
        assertShare(picks, "a", 0.5);
        assertShare(picks, "b", 0.3);
        assertShare(picks, "c", 0.2);
    }

    @Test
    void smoothWeightedRoundRobinSpreadsPicksInsteadOfBursting() {
        LoadBalancer balancer = new SmoothWeightedRoundRobin();
        List<InstanceEntry> instances = List.of(entry("a", 2, Map.of(), List.of()), entry("b", 1, Map.of(), List.of()));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            order.append(balancer.pick(instances).orElseThrow().instance().id());
        }
        assertEquals("abaaba", order.toString());
    }

    @Test
    void smoothWeightedRoundRobinKeepsEachServicesRotationWhenServicesTakeTurns() {
        LoadBalancer balancer = new SmoothWeightedRoundRobin();
        List<InstanceEntry> web = List.of(entry("web", "a", 2), entry("web", "b", 1));
        List<InstanceEntry> api = List.of(entry("api", "x", 1), entry("api", "y", 1));
        StringBuilder webOrder = new StringBuilder();
        StringBuilder apiOrder = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            webOrder.append(balancer.pick(web).orElseThrow().instance().id());
            apiOrder.append(balancer.pick(api).orElseThrow().instance().id());
        }
        assertEquals("abaaba", webOrder.toString());
        assertEquals("xyxyxy", apiOrder.toString());
    }

    @Test
    void smoothWeightedRoundRobinGivesExactSharesOverWholeCyclesFromManyThreads() throws Exception {
        // 5:3:2 is worked out ahead as a cycle of 10; 10,000:2,999:1 has a cycle of 13,000 and is stepped instead.
        for (List<InstanceEntry> instances : List.of(
                List.of(entry("svc", "a", 5), entry("svc", "b", 3), entry("svc", "c", 2)),
                List.of(entry("svc", "a", 10_000), entry("svc", "b", 2_999), entry("svc", "c", 1)))) {
            LoadBalancer balancer = new SmoothWeightedRoundRobin();
            int cycle = instances.stream().mapToInt(entry -> entry.instance().weights().passing()).sum();
            int cycles = 4;
            Map<String, Integer> picks = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < cycle * cycles / 4; i++) {
                        picks.merge(balancer.pick(instances).orElseThrow().instance().id(), 1, Integer::sum);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            for (InstanceEntry instance : instances) {
                assertEquals(instance.instance().weights().passing() * cycles, picks.get(instance.instance().id()),
                        instance.instance().id() + " of " + cycle);
            }
        }
    }

    @Test
    void smoothWeightedRoundRobinSharesEvenlyAmongInstancesOfWeightZero() {
        Map<String, Integer> picks = pick(new SmoothWeightedRoundRobin(entry -> 0),
                List.of(entry("svc", "a", 1), entry("svc", "b", 1)));
        assertShare(picks, "a", 0.5);
    }

    @Test
    void powerOfTwoChoicesSpreadsEvenlyAndAvoidsABusyInstance() {
        List<InstanceEntry> instances = List.of(entry("a", 1, Map.of(), List.of()), entry("b", 1, Map.of(), List.of()),
                entry("c", 1, Map.of(), List.of()), entry("d", 1, Map.of(), List.of()));
        PowerOfTwoChoices even = new PowerOfTwoChoices(new Random(7));
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            InstanceEntry chosen = even.pick(instances).orElseThrow();
            picks.merge(chosen.instance().id(), 1, Integer::sum);
            even.finished(chosen);
        }
        instances.forEach(instance -> assertShare(picks, instance.instance().id(), 0.25));

        PowerOfTwoChoices loaded = new PowerOfTwoChoices(new Random(7));
        for (int i = 0; i < 50; i++) {
            loaded.pick(List.of(instances.get(0)));
        }
        Map<String, Integer> avoiding = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            InstanceEntry chosen = loaded.pick(instances).orElseThrow();
            avoiding.merge(chosen.instance().id(), 1, Integer::sum);
            loaded.finished(chosen);
        }
        assertEquals(0, avoiding.getOrDefault("a", 0), "the instance with 50 calls in flight is never chosen");
    }

    @Test
    void sameZoneFirstStaysInTheZoneWhileItHasInstances() {
        List<InstanceEntry> instances = List.of(entry("a", 1, Map.of("zone", "eu-1a"), List.of()),
                entry("b", 1, Map.of("zone", "eu-1b"), List.of()), entry("c", 1, Map.of("zone", "eu-1a"), List.of()));
        Map<String, Integer> picks = pick(new SameZoneFirst("eu-1a", new SmoothWeightedRoundRobin()), instances);
        assertShare(picks, "a", 0.5);
        assertShare(picks, "c", 0.5);
        assertEquals(0, picks.getOrDefault("b", 0));
        Map<String, Integer> elsewhere = pick(new SameZoneFirst("us-2", new SmoothWeightedRoundRobin()), instances);
        assertShare(elsewhere, "b", 1.0 / 3);
    }

    @Test
    void canaryShareSendsItsPercentToCanaries() {
        List<InstanceEntry> instances = List.of(entry("stable-1", 1, Map.of(), List.of("v1")),
                entry("stable-2", 1, Map.of(), List.of("v1")), entry("canary-1", 1, Map.of(), List.of("v2", "canary")));
        Map<String, Integer> picks = pick(new CanaryShare(10, new SmoothWeightedRoundRobin(),
                new SmoothWeightedRoundRobin()), instances);
        assertShare(picks, "canary-1", 0.10);
        assertShare(picks, "stable-1", 0.45);
        assertShare(picks, "stable-2", 0.45);
        Map<String, Integer> none = pick(new CanaryShare(0, new SmoothWeightedRoundRobin(),
                new SmoothWeightedRoundRobin()), instances);
        assertEquals(0, none.getOrDefault("canary-1", 0));
    }

    @Test
    void theCanaryTagCanBeAnother() {
        List<InstanceEntry> instances = List.of(entry("stable-1", 1, Map.of(), List.of("canary")),
                entry("preview-1", 1, Map.of(), List.of("preview")));
        Map<String, Integer> picks = pick(new CanaryShare("preview", 20, new SmoothWeightedRoundRobin(),
                new SmoothWeightedRoundRobin()), instances);
        assertShare(picks, "preview-1", 0.20);
        assertShare(picks, "stable-1", 0.80);
    }

    private static Map<String, Integer> pick(LoadBalancer balancer, List<InstanceEntry> instances) {
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            picks.merge(balancer.pick(instances).orElseThrow().instance().id(), 1, Integer::sum);
        }
        return picks;
    }

    private static void assertShare(Map<String, Integer> picks, String id, double expected) {
        double share = picks.getOrDefault(id, 0) / (double) PICKS;
        assertTrue(Math.abs(share - expected) <= 0.02, id + " got " + share + " of the picks, expected " + expected);
    }

    private static InstanceEntry entry(String id, int weight, Map<String, String> meta, List<String> tags) {
        return new InstanceEntry(new ServiceInstance("default", "svc", id, "10.0.0.1", 80, tags, meta,
                new Weights(weight, 1), false, List.of(), ""), 1, 1);
    }

    private static InstanceEntry entry(String service, String id, int weight) {
        return new InstanceEntry(new ServiceInstance("default", service, id, "10.0.0.1", 80, List.of(), Map.of(),
                new Weights(weight, 1), false, List.of(), ""), 1, 1);
    }
}
