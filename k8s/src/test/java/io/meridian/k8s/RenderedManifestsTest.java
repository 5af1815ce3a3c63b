package io.meridian.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.meridian.node.DevCluster;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What would break a rollout of the rendered overlays: selectors, ports, probes, settings, and the stop bound. */
class RenderedManifestsTest {

    private static final NodeConfig DEFAULTS = NodeConfig.defaults();

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everySelectorMatchesThePodsLabels(String overlay) throws Exception {
        Manifests manifests = Manifests.render(overlay);
        StatefulSet members = manifests.one(StatefulSet.class);
        Map<String, String> podLabels = members.getSpec().getTemplate().getMetadata().getLabels();

        assertSelects(podLabels, members.getSpec().getSelector().getMatchLabels(), "the StatefulSet");
        for (Service service : manifests.all(Service.class)) {
            assertSelects(podLabels, service.getSpec().getSelector(), "Service " + service.getMetadata().getName());
        }
        PodDisruptionBudget budget = manifests.one(PodDisruptionBudget.class);
        assertSelects(podLabels, budget.getSpec().getSelector().getMatchLabels(), "the PodDisruptionBudget");
        assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
        NetworkPolicy policy = manifests.one(NetworkPolicy.class);
        assertSelects(podLabels, policy.getSpec().getPodSelector().getMatchLabels(), "the NetworkPolicy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void membersFindEachOtherThroughAHeadlessServiceThatPublishesPodsBeforeTheyAreReady(String overlay)
            throws Exception {
        Manifests manifests = Manifests.render(overlay);
        StatefulSet members = manifests.one(StatefulSet.class);
        Service headless = manifests.service(members.getSpec().getServiceName());

        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses());
        assertEquals("Parallel", members.getSpec().getPodManagementPolicy());
        NodeConfig settings = settings(manifests);
        assertEquals(headless.getMetadata().getName(), settings.kubernetesService().orElseThrow(),
                "meridian.kubernetes-service-dns names the headless Service");
        assertEquals(members.getSpec().getReplicas(), settings.cpMemberCount(),
                "every member holds a CP seat, so the CP Subsystem forms when all have joined");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPortMatchesTheNodesDefaultsAndEveryServiceTargetsANamedContainerPort(String overlay) throws Exception {
        Manifests manifests = Manifests.render(overlay);
        Container container = container(manifests);
        Map<String, ContainerPort> ports = container.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, port -> port));
        NodeConfig settings = settings(manifests);

        assertEquals(settings.hazelcastPort(), ports.get("hazelcast").getContainerPort());
        assertEquals(settings.httpPort(), ports.get("http").getContainerPort());
        assertEquals(settings.dnsPort(), ports.get("dns-udp").getContainerPort());
        assertEquals("UDP", ports.get("dns-udp").getProtocol());
        assertEquals(settings.dnsPort(), ports.get("dns-tcp").getContainerPort());
        assertEquals(List.of(DEFAULTS.hazelcastPort(), DEFAULTS.httpPort(), DEFAULTS.dnsPort()),
                List.of(settings.hazelcastPort(), settings.httpPort(), settings.dnsPort()));
        for (Service service : manifests.all(Service.class)) {
            for (ServicePort port : service.getSpec().getPorts()) {
                ContainerPort target = ports.get(port.getTargetPort().getStrVal());
                assertNotNull(target, service.getMetadata().getName() + " targets " + port.getTargetPort());
                assertEquals(target.getContainerPort(), port.getPort());
                assertEquals(target.getProtocol() == null ? "TCP" : target.getProtocol(),
                        port.getProtocol() == null ? "TCP" : port.getProtocol());
            }
        }
        Set<String> dnsProtocols = manifests.service("meridian-dns").getSpec().getPorts().stream()
                .map(ServicePort::getProtocol).collect(Collectors.toSet());
        assertEquals(Set.of("UDP", "TCP"), dnsProtocols);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyGridPodsReachTheMemberPortAndTheAccountHasNoApiAccess(String overlay) throws Exception {
        Manifests manifests = Manifests.render(overlay);
        NetworkPolicy policy = manifests.one(NetworkPolicy.class);
        Map<String, String> podLabels = manifests.one(StatefulSet.class).getSpec().getTemplate().getMetadata()
                .getLabels();
        int memberPort = settings(manifests).hazelcastPort();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            boolean opensMemberPort = rule.getPorts().stream()
                    .anyMatch(port -> port.getPort().getIntVal() == memberPort);
            if (opensMemberPort) {
                assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), "the member port is open to all");
                rule.getFrom().forEach(peer -> assertSelects(podLabels, peer.getPodSelector().getMatchLabels(),
                        "the member port's peers"));
            }
        }
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        ServiceAccount account = manifests.one(ServiceAccount.class);
        PodSpec pod = manifests.one(StatefulSet.class).getSpec().getTemplate().getSpec();
        assertEquals(account.getMetadata().getName(), pod.getServiceAccountName());
        assertFalse(pod.getAutomountServiceAccountToken(), "no API token is mounted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theGracePeriodOutlastsThePreStopPauseAndTheShutdownBoundAndTheDataDirectoryIsTheClaimedVolume(String overlay)
            throws Exception {
        Manifests manifests = Manifests.render(overlay);
        StatefulSet members = manifests.one(StatefulSet.class);
        Container container = container(manifests);
        long preStopSeconds = Long.parseLong(container.getLifecycle().getPreStop().getExec().getCommand().get(1));
        long bound = preStopSeconds + settings(manifests).shutdownTimeout().toSeconds();

        assertTrue(members.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() > bound,
                "terminationGracePeriodSeconds must exceed " + bound);
        String claim = members.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        String mounted = container.getVolumeMounts().stream().filter(mount -> mount.getName().equals(claim))
                .findFirst().orElseThrow().getMountPath();
        assertEquals(Optional.of(Path.of(mounted)), settings(manifests).dataDir(),
                "the node keeps its data on the claimed volume, which outlives the pod");
    }

    @Test
    void prodRunsFiveSizedMembersOnePerHost() throws Exception {
        Manifests prod = Manifests.render("prod");
        StatefulSet members = prod.one(StatefulSet.class);
        Container container = container(prod);

        assertEquals(5, members.getSpec().getReplicas());
        assertEquals(3, Manifests.render("dev").one(StatefulSet.class).getSpec().getReplicas());
        assertNotNull(container.getResources().getRequests().get("cpu"));
        assertNotNull(container.getResources().getLimits().get("memory"));
        var antiAffinity = members.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution();
        assertEquals("kubernetes.io/hostname", antiAffinity.get(0).getTopologyKey());
        assertSelects(members.getSpec().getTemplate().getMetadata().getLabels(),
                antiAffinity.get(0).getLabelSelector().getMatchLabels(), "the anti-affinity");
    }

    @Test
    void everyProbePathIsServedByARunningNodeOnTheProbedPort() throws Exception {
        Manifests manifests = Manifests.render("prod");
        Container container = container(manifests);
        List<HTTPGetAction> probes = Stream.of(container.getReadinessProbe(), container.getLivenessProbe())
                .map(probe -> probe.getHttpGet()).toList();
        int base = 30_000 + ThreadLocalRandom.current().nextInt(300) * 100;
        NodeConfig config = NodeConfig.load(null, Map.of(
                "MERIDIAN_CLUSTER_NAME", "k8s-" + UUID.randomUUID(),
                "MERIDIAN_HAZELCAST_PORT", Integer.toString(base),
                "MERIDIAN_MEMBERS", "127.0.0.1:" + base + ",127.0.0.1:" + (base + 1) + ",127.0.0.1:" + (base + 2),
                "MERIDIAN_HTTP_PORT", "0",
                "MERIDIAN_DNS_PORT", "0",
                "MERIDIAN_DATA_DIR", "none"));
        HttpClient http = HttpClient.newHttpClient();
        try (DevCluster cluster = DevCluster.start(config)) {
            cluster.awaitLeader(Duration.ofSeconds(90));
            for (HTTPGetAction probe : probes) {
                ContainerPort port = container.getPorts().stream()
                        .filter(candidate -> candidate.getName().equals(probe.getPort().getStrVal()))
                        .findFirst().orElseThrow();
                assertEquals(DEFAULTS.httpPort(), port.getContainerPort(), "probes go to the HTTP port");
                // As the kubelet does, ask until the node answers: readiness waits for the start's sync.
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + cluster.httpNode().httpPort() + probe.getPath())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, answer.statusCode(), probe.getPath() + ": " + answer.body());
                });
            }
        }
    }

    /** The ConfigMap's properties, read by {@link NodeConfig}, which refuses keys it does not know. */
    private NodeConfig settings(Manifests manifests) throws Exception {
        ConfigMap config = manifests.one(ConfigMap.class);
        String text = config.getData().get("meridian.properties");
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        assertTrue(properties.stringPropertyNames().stream().allMatch(key -> key.startsWith("meridian.")));
        Path file = directory.resolve("meridian.properties");
        Files.writeString(file, text);
        return NodeConfig.load(file, Map.of());
    }

    private static Container container(Manifests manifests) {
        return manifests.one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static void assertSelects(Map<String, String> podLabels, Map<String, String> selector, String what) {
        assertFalse(selector == null || selector.isEmpty(), what + " selects nothing");
        selector.forEach((key, value) -> assertEquals(value, podLabels.get(key), what + " selects " + key + "="
                + value + ", which the pods do not carry"));
    }
}
