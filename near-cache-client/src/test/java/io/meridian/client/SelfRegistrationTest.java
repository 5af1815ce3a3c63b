package io.meridian.client;

import io.meridian.health.testing.CheckingCluster;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Self-registration through the SDK against a cluster that runs health checks, in this JVM and in child JVMs. */
class SelfRegistrationTest {

    private CheckingCluster cluster;

    @TempDir
    Path temporary;

    @BeforeEach
    void start() {
        cluster = new CheckingCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theTtlCheckIsRenewedAndDrainingTakesTheInstanceOutBeforeItIsDeregistered() {
        try (DiscoveryClient discovery = client().registrationTtl(Duration.ofSeconds(1), Duration.ofMinutes(1))
                .build()) {
            Registration registration = discovery.register(instance("self", "self-1"));
            assertEquals(CheckKind.TTL, registration.instance().checks().get(0).kind());

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> isPassing(entry("self", "self-1")));

            CompletableFuture<Void> draining = CompletableFuture.runAsync(
                    () -> registration.drainAndDeregister(Duration.ofSeconds(2)));
            await().atMost(Duration.ofSeconds(5)).until(() -> entry("self", "self-1")
                    .filter(entry -> !isPassing(Optional.of(entry)))
                    .filter(entry -> entry.instance().checks().stream().anyMatch(c -> c.kind() == CheckKind.DRAIN))
                    .isPresent());
            assertTrue(discovery.healthy("self", InstanceQuery.ANY).isEmpty(), "a draining instance is not chosen");

            draining.join();
            assertTrue(entry("self", "self-1").isEmpty(), "deregistered once the drain period is over");
        }
    }

    @Test
    void aKilledProcessTurnsCriticalWhenItsTtlLapsesAndIsDeregisteredAfterwards() throws Exception {
        try (ChildJvm child = startChild("killed-1")) {
            child.awaitLine("registered", Duration.ofSeconds(60));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> isPassing(entry("child", "killed-1")));

            child.kill();

            await().atMost(Duration.ofSeconds(10)).until(() -> entry("child", "killed-1")
                    .map(entry -> entry.instance().checks().get(0).status() == HealthStatus.CRITICAL).orElse(false));
            await().atMost(Duration.ofSeconds(15)).until(() -> entry("child", "killed-1").isEmpty());
        }
    }

    @Test
    void aTerminatedProcessDrainsAndDeregistersInItsShutdownHookAndAWatcherHearsEachStep() throws Exception {
        try (DiscoveryClient watcher = client().build(); ChildJvm child = startChild("stopped-1")) {
            List<List<String>> heard = new CopyOnWriteArrayList<>();
            watcher.watch("child", instances -> heard.add(instances.stream()
                    .map(instance -> instance.instance().id()).toList()));
            child.awaitLine("registered", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(5)).until(() -> isPassing(entry("child", "stopped-1")));
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains(List.of("stopped-1")));

            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return child.terminate(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> entry("child", "stopped-1")
                    .map(entry -> entry.instance().checks().stream().anyMatch(c -> c.kind() == CheckKind.DRAIN))
                    .orElse(false));
            exit.join();
            assertTrue(entry("child", "stopped-1").isEmpty(),
                    "deregistered by the hook before the process exited, not by its TTL lapsing");
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.get(heard.size() - 1).isEmpty());
        }
    }

    private ChildJvm startChild(String instanceId) throws Exception {
        return new ChildJvm(SelfRegisteringProcess.class, temporary.resolve(instanceId + ".stderr"),
                cluster.members().name(), String.join(",", cluster.members().addresses()), instanceId);
    }

    private DiscoveryClient.Builder client() {
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(cluster.members().name());
        cluster.members().addresses().forEach(builder::member);
        return builder;
    }

    private Optional<InstanceEntry> entry(String service, String id) {
        return cluster.registry(1).service(ServiceInstance.DEFAULT_NAMESPACE, service).instances().stream()
                .filter(entry -> entry.instance().id().equals(id)).findFirst();
    }

    private static boolean isPassing(Optional<InstanceEntry> entry) {
        return entry.map(found -> found.instance().checks().stream()
                .allMatch(check -> check.status() == HealthStatus.PASSING)).orElse(false);
    }
}
