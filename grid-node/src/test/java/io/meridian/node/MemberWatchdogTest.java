package io.meridian.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's process exits with status 1 when Hazelcast stops its member, and not when the process stops it. */
class MemberWatchdogTest {

    private static HazelcastInstance member() {
        Config config = new Config().setClusterName("watchdog-" + UUID.randomUUID());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "none");
        config.getNetworkConfig().setPort(0).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        return Hazelcast.newHazelcastInstance(config);
    }

    @Test
    void aMemberHazelcastStopsEndsTheProcessWithStatusOne() {
        HazelcastInstance member = member();
        List<Integer> exits = new ArrayList<>();
        MemberWatchdog watchdog = new MemberWatchdog(member.getLifecycleService()::isRunning, exits::add);
        assertTrue(watchdog.look(), "the member runs: go on looking");
        assertEquals(List.of(), exits);

        member.getLifecycleService().terminate();

        assertFalse(watchdog.look());
        assertEquals(List.of(MemberWatchdog.EXIT_STATUS), exits);
    }

    @Test
    void aMemberTheProcessStopsItselfEndsNothing() {
        HazelcastInstance member = member();
        List<Integer> exits = new ArrayList<>();
        MemberWatchdog watchdog = new MemberWatchdog(member.getLifecycleService()::isRunning, exits::add);

        watchdog.stopping();
        member.getLifecycleService().shutdown();

        assertFalse(watchdog.look());
        assertEquals(List.of(), exits, "the process stopped its own member");
    }

    @Test
    void startedItLooksOnItsOwnThread() throws Exception {
        HazelcastInstance member = member();
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        new MemberWatchdog(member.getLifecycleService()::isRunning, exited::complete).start(Duration.ofMillis(20));

        member.getLifecycleService().terminate();

        assertEquals(MemberWatchdog.EXIT_STATUS, exited.get(10, TimeUnit.SECONDS));
    }
}
