package io.meridian.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hazelcast configuration a node's settings turn into. */
class MemberConfigsTest {

    @TempDir
    Path directory;

    @Test
    void kubernetesJoinUsesDnsLookupOfTheHeadlessServiceAndNoMemberList() throws Exception {
        Path file = directory.resolve("k8s.properties");
        Files.writeString(file, """
                meridian.join=kubernetes
                meridian.kubernetes-service-dns=meridian-members
                meridian.shutdown-timeout=30s
                """);

        Config config = MemberConfigs.member(NodeConfig.load(file, Map.of()), Optional.empty());

        JoinConfig join = config.getNetworkConfig().getJoin();
        assertTrue(join.getKubernetesConfig().isEnabled());
        assertEquals("meridian-members", join.getKubernetesConfig().getProperty("service-dns"));
        assertFalse(join.getTcpIpConfig().isEnabled());
        assertFalse(join.getMulticastConfig().isEnabled());
        assertEquals("30", config.getProperty("hazelcast.graceful.shutdown.max.wait"));
    }

    @Test
    void theDefaultJoinIsTheTcpIpMemberList() throws Exception {
        Config config = MemberConfigs.member(NodeConfig.load(null, Map.of()), Optional.empty());

        JoinConfig join = config.getNetworkConfig().getJoin();
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"), join.getTcpIpConfig().getMembers());
        assertFalse(join.getKubernetesConfig().isEnabled());
        assertEquals("meridian-1", config.getMemberAttributeConfig().getAttribute(CpObserver.NODE_NAME_ATTRIBUTE));
    }
}
