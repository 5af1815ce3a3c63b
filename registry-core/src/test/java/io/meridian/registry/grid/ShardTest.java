package io.meridian.registry.grid;

import io.meridian.registry.ServiceInstance;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.meridian.registry.testing.Instances.instance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Raft operations on a shard, applied as the CP state machine applies them, without a cluster. */
class ShardTest {

    private static final String WEB = "default/web";

    @Test
    void anIndexGrowsPastTheShardsEvenWhenTheProposalIsBehind() {
        Shard shard = new RegisterInstance(instance("web", "w-1"), 1_000).apply(null);
        Shard next = new RegisterInstance(instance("web", "w-2"), 10).apply(shard);
        assertEquals(1_000, shard.index());
        assertEquals(1_001, next.index());
        assertEquals(1_001, next.parts().get(WEB).index());
    }

    @Test
    void applyingARegistrationTwiceLeavesOneInstance() {
        RegisterInstance register = new RegisterInstance(instance("web", "w-1"), 5);
        Shard twice = register.apply(register.apply(Shard.EMPTY));
        assertEquals(Map.of("w-1", twice.parts().get(WEB).instances().get("w-1")), twice.parts().get(WEB).instances());
        assertEquals(5, twice.parts().get(WEB).instances().get("w-1").createIndex());
    }

    @Test
    void deregisteringTheLastInstanceLeavesAnEmptyPartWithAHigherIndex() {
        Shard registered = new RegisterInstance(instance("web", "w-1"), 5).apply(Shard.EMPTY);
        Shard emptied = new DeregisterInstance(ServiceInstance.DEFAULT_NAMESPACE, "w-1", 6).apply(registered);
        assertTrue(emptied.parts().get(WEB).instances().isEmpty());
        assertEquals(6, emptied.parts().get(WEB).index());
        assertEquals(List.of(WEB), emptied.touched());
    }

    @Test
    void deregisteringAnUnknownIdTouchesNothing() {
        Shard registered = new RegisterInstance(instance("web", "w-1"), 5).apply(Shard.EMPTY);
        Shard unchanged = new DeregisterInstance(ServiceInstance.DEFAULT_NAMESPACE, "web", 6).apply(registered);
        assertEquals(List.of(), unchanged.touched());
        assertEquals(registered.parts(), unchanged.parts());
    }

    @Test
    void theIndexClockIsStrictlyIncreasingWhenTheClockStandsStill() {
        IndexClock clock = new IndexClock(Clock.fixed(Instant.ofEpochSecond(100), ZoneOffset.UTC));
        long first = clock.propose();
        assertEquals(100_000_000, first);
        assertEquals(first + 1, clock.propose());
    }
}
