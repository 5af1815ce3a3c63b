package io.meridian.registry.grid;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.NearCacheConfig;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.meridian.registry.testing.Instances.instance;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client whose near caches still hold a service's header and slices from before a change reads them from their
 * owners once the change's event arrives: a waiter is woken with the change, never with the value from before it, and
 * a view never pairs the change's index with the instances from before it. The test client's near caches never hear
 * an invalidation, so everything they cache goes stale at the next write; on a real client that lasts until the
 * invalidation lands.
 */
class NearCachedSlicesTest {

    private static final String NS = ServiceInstance.DEFAULT_NAMESPACE;
    private static final Duration HEARD = Duration.ofSeconds(10);

    private static MemberAndClient grid;
    private static HazelcastRegistry throughMember;
    private static HazelcastRegistry throughClient;

    @BeforeAll
    static void start() {
        grid = MemberAndClient.start(config -> {
            for (String map : List.of(GridNames.SERVICES_MAP, GridNames.SLICES_MAP)) {
                config.addNearCacheConfig(new NearCacheConfig(map).setInvalidateOnChange(false)
                        .setInMemoryFormat(InMemoryFormat.OBJECT));
            }
        });
        throughMember = grid.throughMember;
        throughClient = grid.throughClient;
    }

    @AfterAll
    static void stop() {
        grid.close();
    }

    @Test
    void aWaiterWokenByAChangeSeesItWhateverTheNearCachesHold() {
        long first = throughMember.register(instance("cached", "cached-1", "blue"));
        ServiceView before = throughClient.awaitService(NS, "cached", first - 1)
                .orTimeout(HEARD.toSeconds(), TimeUnit.SECONDS).join();
        assertEquals(List.of("blue"), before.instances().get(0).instance().tags(), "the slice is now near-cached");

        long second = throughMember.register(instance("cached", "cached-1", "green"));
        ServiceView after = throughClient.awaitService(NS, "cached", second - 1)
                .orTimeout(HEARD.toSeconds(), TimeUnit.SECONDS).join();

        assertEquals(second, after.index(), "woken at the change's index, read past the near-cached header");
        assertEquals(List.of("green"), after.instances().get(0).instance().tags(),
                "the view at the change's index has the change's instance, not the near cache's");
    }
}
