package io.meridian.registry.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client is sent the header changes of the services it holds, not of every service in the cluster, and still hears
 * what it waits on: a service's change, one made while its listener was on its way, and, once asked, a namespace's.
 */
class ClientHeaderFeedTest {

    private static final String NS = ServiceInstance.DEFAULT_NAMESPACE;
    private static final Duration HEARD = Duration.ofSeconds(10);
    /** How long a change that should not be heard is given to arrive anyway, after one that should has arrived. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private static MemberAndClient grid;
    private static HazelcastInstance client;
    private static HazelcastRegistry throughMember;
    private static HazelcastRegistry throughClient;
    private final Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
    private final List<String> caughtUp = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private HeaderFeed feed;

    @BeforeAll
    static void start() {
        grid = MemberAndClient.start(config -> { });
        client = grid.client;
        throughMember = grid.throughMember;
        throughClient = grid.throughClient;
    }

    @AfterAll
    static void stop() {
        grid.close();
    }

    @AfterEach
    void closeFeed() {
        if (feed != null) {
            feed.close();
        }
    }

    @Test
    void aFeedHearsTheServicesItFollowsUntilItFollowsThemAll() {
        feed = new HeaderFeed(client.getMap(GridNames.SERVICES_MAP), new CountingListener(), caughtUp::add);
        String held = serviceKey("held");
        Object holder = new Object();
        feed.follow(held, holder);
        await().atMost(HEARD).until(() -> caughtUp.contains(held));

        register("held");
        register("bystander");
        await().atMost(HEARD).until(() -> count("held") > 0);
        // A service the client holds no waiter for is not sent to it.
        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> count("bystander") == 0);

        feed.unfollow(held, new Object());
        int heldBefore = count("held");
        register("held");
        await().atMost(HEARD).until(() -> count("held") > heldBefore);
        assertEquals(1, feed.followedKeys(), "the drop of a waiter that no longer holds the key leaves it followed");

        feed.unfollow(held, holder);
        await().atMost(HEARD).until(() -> feed.followedKeys() == 0);
        feed.followAll();
        register("bystander");
        await().atMost(HEARD).until(() -> count("bystander") > 0);
        assertTrue(feed.followsAll());
    }

    @Test
    void aFeedAskedToFollowMoreKeysThanItsBoundHearsEveryHeaderInstead() {
        feed = new HeaderFeed(client.getMap(GridNames.SERVICES_MAP), new CountingListener(), caughtUp::add);
        for (int i = 0; i <= HeaderFeed.MOST_KEYS; i++) {
            feed.follow(serviceKey("many-" + i), new Object());
        }
        String last = serviceKey("many-" + HeaderFeed.MOST_KEYS);
        await().atMost(HEARD).until(() -> caughtUp.contains(last));
        assertTrue(feed.followsAll(), "past the bound, one listener of every header");
        await().atMost(HEARD).until(() -> feed.followedKeys() == 0);

        register("never-followed");
        await().atMost(HEARD).until(() -> count("never-followed") > 0);
    }

    @Test
    void aClientRegistryWakesItsWaitersAndFollowsNamespacesOnceAsked() {
        long before = throughMember.register(instance("watched", "watched-" + ids.incrementAndGet()));
        await().atMost(HEARD).until(() -> throughClient.service(NS, "watched").index() >= before);

        CompletableFuture<ServiceView> change = throughClient.awaitService(NS, "watched", before);
        long written = throughMember.register(instance("watched", "watched-" + ids.incrementAndGet()));
        assertTrue(change.orTimeout(HEARD.toSeconds(), TimeUnit.SECONDS).join().index() >= written,
                "a held service's change reaches its waiter on the client");

        long catalogBefore = throughClient.catalog(NS).index();
        CompletableFuture<Long> catalog = throughClient.awaitCatalog(NS, catalogBefore);
        assertFalse(catalog.isDone());
        long elsewhere = throughMember.register(instance("unwatched-" + ids.incrementAndGet(), "x"));
        assertTrue(catalog.orTimeout(HEARD.toSeconds(), TimeUnit.SECONDS).join() >= elsewhere,
                "a namespace's change reaches a catalog waiter on the client, whatever service it was in");
    }

    private static String serviceKey(String service) {
        return HazelcastRegistry.serviceKey(NS, service);
    }

    private void register(String service) {
        throughMember.register(instance(service, service + "-" + ids.incrementAndGet()));
    }

    private int count(String service) {
        return heard.getOrDefault(serviceKey(service), new AtomicInteger()).get();
    }

    /** Counts each header's added and updated events. */
    private final class CountingListener implements EntryAddedListener<String, ServiceHeader>,
            EntryUpdatedListener<String, ServiceHeader> {

        @Override
        public void entryAdded(EntryEvent<String, ServiceHeader> event) {
            heard.computeIfAbsent(event.getKey(), key -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void entryUpdated(EntryEvent<String, ServiceHeader> event) {
            entryAdded(event);
        }
    }
}
