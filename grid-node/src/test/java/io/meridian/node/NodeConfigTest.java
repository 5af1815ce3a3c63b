package io.meridian.node;

import io.meridian.dns.DnsSettings;
import io.meridian.http.AclSettings;
import io.meridian.http.PemFiles;
import io.meridian.http.RateLimits;
import io.meridian.operator.AutopilotSettings;
import io.meridian.registry.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeConfigTest {

    @TempDir
    Path directory;

    @Test
    void theFileOverridesTheDefaultsAndTheEnvironmentOverridesTheFile() throws Exception {
        Path file = directory.resolve("node.properties");
        Files.writeString(file, """
                meridian.node-name=node-7
                meridian.http-port=9500
                meridian.members=10.0.0.1:5701, 10.0.0.2:5701
                meridian.anti-entropy-interval=1m30s
                """);

        NodeConfig config = NodeConfig.load(file, Map.of("MERIDIAN_HTTP_PORT", "9600", "PATH", "/bin"));

        assertEquals("node-7", config.nodeName());
        assertEquals(9600, config.httpPort());
        assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), config.members());
        assertEquals(Duration.ofSeconds(90), config.antiEntropyEvery());
        assertEquals(8600, config.dnsPort(), "untouched keys keep their defaults");
        assertEquals("dc1", config.datacenter());
    }

    @Test
    void theDnsAclRateLimitTlsAndZoneKeysAreRead() throws Exception {
        Path file = directory.resolve("secure.properties");
        Files.writeString(file, """
                meridian.dns-domain=discovery
                meridian.dns-only-passing=true
                meridian.dns-ttl=10s
                meridian.dns-service-ttls=web=30s, db=5s
                meridian.dns-soa-min-ttl=1m
                meridian.acl-default-policy=deny
                meridian.acl-dns-token=dns-secret
                meridian.http-read-rate=100
                meridian.http-write-rate=20
                meridian.https-cert-file=/etc/meridian/server.crt
                meridian.https-key-file=/etc/meridian/server.key
                meridian.zone=eu-1a
                """);

        NodeConfig config = NodeConfig.load(file, Map.of("MERIDIAN_ACL_BOOTSTRAP_TOKEN", "root-secret"));

        assertEquals(new DnsSettings("discovery", true, Duration.ofSeconds(10),
                Map.of("web", Duration.ofSeconds(30), "db", Duration.ofSeconds(5)), Duration.ofMinutes(1)),
                config.dns());
        assertEquals(new AclSettings(true, Optional.of("dns-secret")), config.acl());
        assertEquals(Optional.of("root-secret"), config.aclBootstrapToken());
        assertEquals(new RateLimits(100, 20), config.rateLimits());
        assertEquals(Optional.of(new PemFiles(Path.of("/etc/meridian/server.crt"),
                Path.of("/etc/meridian/server.key"))), config.tls());
        assertEquals(Optional.of("eu-1a"), config.zone());
        assertEquals(AclSettings.ALLOW_ALL, NodeConfig.defaults().acl(), "development runs default-allow");
    }

    @Test
    void aWrongValueNamesItsKey() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.load(null, Map.of("MERIDIAN_HTTP_PORT", "eighty")));
        assertTrue(error.getMessage().contains("meridian.http-port"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.load(null, Map.of("MERIDIAN_DNS_PORT", "70000")));
        for (Map<String, String> wrong : List.of(Map.of("MERIDIAN_DNS_SERVICE_TTLS", "web"),
                Map.of("MERIDIAN_DNS_SERVICE_TTLS", "web=soon"), Map.of("MERIDIAN_ACL_DEFAULT_POLICY", "maybe"),
                Map.of("MERIDIAN_HTTPS_CERT_FILE", "/only/the/cert.pem"))) {
            IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                    () -> NodeConfig.load(null, wrong));
            String key = "meridian." + wrong.keySet().iterator().next().substring(9).toLowerCase().replace('_', '-');
            assertTrue(named.getMessage().contains(key), named.getMessage());
        }
    }

    @Test
    void theOperationsKeysAreReadAndATypoIsRefused() throws Exception {
        Path file = directory.resolve("operations.properties");
        Files.writeString(file, """
                meridian.join=kubernetes
                meridian.kubernetes-service-dns=meridian-members.discovery.svc.cluster.local
                meridian.shutdown-timeout=45s
                meridian.cp-member-count=5
                meridian.autopilot-cleanup-dead-servers=false
                meridian.autopilot-last-contact-threshold=2s
                meridian.autopilot-max-trailing-logs=500
                meridian.autopilot-min-quorum=3
                meridian.autopilot-server-stabilization-time=20s
                meridian.autopilot-dead-server-threshold=1m
                """);

        NodeConfig config = NodeConfig.load(file, Map.of());

        assertEquals(Optional.of("meridian-members.discovery.svc.cluster.local"), config.kubernetesService());
        assertEquals(Duration.ofSeconds(45), config.shutdownTimeout());
        assertEquals(5, config.cpMemberCount());
        assertEquals(new AutopilotSettings(false, Duration.ofSeconds(2), 500, 3, Duration.ofSeconds(20),
                Duration.ofMinutes(1)), config.autopilot());

        Files.writeString(file, "meridian.shutdown-timout=45s\n");
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.load(file, Map.of()));
        assertTrue(typo.getMessage().contains("meridian.shutdown-timout"), typo.getMessage());

        Files.writeString(file, "meridian.join=kubernetes\n");
        IllegalArgumentException noService = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.load(file, Map.of()));
        assertTrue(noService.getMessage().contains("meridian.kubernetes-service-dns"), noService.getMessage());

        Files.writeString(file, "meridian.cp-member-count=4\n");
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.load(file, Map.of()));
    }

    @Test
    void checkLimitsAreReadAndANodeDeniesLoopbackUnlessItIsADevCluster() throws Exception {
        NodeConfig configured = NodeConfig.load(null, Map.of("MERIDIAN_CHECK_ALLOWED_NETWORKS", "10.0.0.0/8, 127.0.0.1",
                "MERIDIAN_CHECK_DENIED_NETWORKS", "10.9.0.0/16", "MERIDIAN_CHECK_ALLOWED_METHODS", "post",
                "MERIDIAN_MAX_CHECKS_PER_INSTANCE", "4"));
        assertEquals(new CheckLimits(List.of(Network.parse("10.0.0.0/8"), Network.parse("127.0.0.1/32")),
                List.of(Network.parse("10.9.0.0/16")), List.of("post"), 4), configured.checks());

        InetAddress loopback = InetAddress.getLoopbackAddress();
        NodeConfig node = NodeConfig.load(null, Map.of());
        assertTrue(node.checks().rules(node).refusal(loopback, 9000).isPresent());
        NodeConfig dev = NodeConfig.loadForDev(null, Map.of());
        assertEquals(Optional.empty(), dev.checks().rules(dev).refusal(loopback, 9000));
        assertTrue(dev.checks().rules(dev).refusal(loopback, dev.httpPort()).orElseThrow().contains("own port"));
        assertTrue(dev.checks().rules(dev).refusal(loopback, 5702).orElseThrow().contains("own port"),
                "another member's port");

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.load(null, Map.of("MERIDIAN_CHECK_DENIED_NETWORKS", "10.0.0.0/40")));
        assertTrue(wrong.getMessage().startsWith("meridian.check-denied-networks"), wrong.getMessage());
    }

    @Test
    void theDataDirectoryIsNamedAfterTheNodeByDefaultAndNoneKeepsNothing() throws Exception {
        assertEquals(Optional.of(Path.of("data", "node-7")),
                NodeConfig.load(null, Map.of("MERIDIAN_NODE_NAME", "node-7")).dataDir());
        assertEquals(Optional.of(Path.of("/var/lib/meridian")),
                NodeConfig.load(null, Map.of("MERIDIAN_DATA_DIR", "/var/lib/meridian")).dataDir());
        assertEquals(Optional.empty(), NodeConfig.load(null, Map.of("MERIDIAN_DATA_DIR", "none")).dataDir());
        assertEquals(Optional.empty(), NodeConfig.defaults().dataDir(), "nodes built in code keep nothing on disk");
    }
}
