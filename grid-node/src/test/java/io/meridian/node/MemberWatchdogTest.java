package io.meridian.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A node's process exits with status 1 when Hazelcast stops its member, and not when the process stops it. */
class MemberWatchdogTest {

    private static final Duration PERIOD = Duration.ofMillis(20);

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
    void aMemberHazelcastStopsEndsTheProcessWithStatusOne() throws Exception {
        HazelcastInstance member = member();
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        new MemberWatchdog(member.getLifecycleService()::isRunning, exited::complete).start(PERIOD);
        Thread.sleep(PERIOD.toMillis() * 5);
        assertFalse(exited.isDone(), "the member runs");

        member.getLifecycleService().terminate();

        assertEquals(MemberWatchdog.EXIT_STATUS, exited.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aMemberTheProcessStopsItselfEndsNothing() throws Exception {
        HazelcastInstance member = member();
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        MemberWatchdog watchdog = new MemberWatchdog(member.getLifecycleService()::isRunning, exited::complete)
                .start(PERIOD);

        watchdog.stopping();
        member.getLifecycleService().shutdown();

        Thread.sleep(PERIOD.toMillis() * 25);
        assertFalse(exited.isDone(), "the process stopped its own member");
    }
}
