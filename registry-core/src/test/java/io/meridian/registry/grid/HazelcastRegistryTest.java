package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.instance.impl.LifecycleServiceImpl;
import com.hazelcast.map.IMap;
import io.meridian.registry.Check;
import io.meridian.registry.CheckIdTakenException;
import io.meridian.registry.CheckKind;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.InvalidRegistrationException;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import io.meridian.registry.UnknownCheckException;
import io.meridian.registry.UnknownInstanceException;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.meridian.registry.testing.Instances.inNamespace;
import static io.meridian.registry.testing.Instances.instance;
import static io.meridian.registry.testing.Instances.withCheck;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HazelcastRegistryTest {

    private static final String NS = ServiceInstance.DEFAULT_NAMESPACE;
    private static TestCluster cluster;
    private static HazelcastRegistry registry;
    private static HazelcastRegistry otherMember;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(3);
        RegistrySettings settings = new RegistrySettings(256, 8, Duration.ofSeconds(10), "node-0", true);
        registry = new HazelcastRegistry(cluster.member(0), settings, Clock.systemUTC());
        otherMember = new HazelcastRegistry(cluster.member(2), settings, Clock.systemUTC());
    }

    @AfterAll
    static void stopCluster() {
        registry.close();
        otherMember.close();
        cluster.close();
    }

    @Test
    void aRegistryWithAnotherLayoutIsRefusedAtItsFirstWriteAndWritesNothing() {
        registry.register(instance("layout", "layout-1"));
        try (HazelcastRegistry otherLayout = new HazelcastRegistry(cluster.member(1),
                RegistrySettings.defaults("misconfigured"), Clock.systemUTC())) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> otherLayout.register(instance("layout", "layout-2")));
            assertTrue(refused.getMessage().contains("shards=256,slices=8"), refused.getMessage());
        }
        assertEquals(List.of("layout-1"), ids(registry.service(NS, "layout")));
    }

    @Test
    void registeredInstanceIsSeenFromEveryMember() {
        long index = registry.register(instance("web", "web-1", "v1"));

        ServiceView view = otherMember.service(NS, "web");
        assertEquals(List.of("web-1"), ids(view));
        assertEquals("node-0", view.instances().get(0).instance().node());
        assertTrue(view.index() >= index, "the service index reached the write's index");
    }

    @Test
    void reRegisteringReplacesTheInstanceAndKeepsItsCreateIndex() {
        long first = registry.register(instance("api", "api-1", "old"));
        long second = registry.register(instance("api", "api-1", "new"));

        InstanceEntry entry = registry.service(NS, "api").instances().get(0);
        assertEquals(List.of("new"), entry.instance().tags());
        assertEquals(first, entry.createIndex());
        assertEquals(second, entry.modifyIndex());
        assertEquals(1, registry.service(NS, "api").instances().size());
    }

    @Test
    void reRegisteringAnIdUnderAnotherServiceMovesIt() {
        registry.register(instance("from-svc", "moving-1"));
        registry.register(instance("to-svc", "moving-1"));

        assertTrue(registry.service(NS, "from-svc").instances().isEmpty());
        assertEquals(List.of("moving-1"), ids(registry.service(NS, "to-svc")));
    }

    @Test
    void deregisterRemovesTheInstanceFromLookups() {
        registry.register(instance("gone", "gone-1"));
        registry.register(instance("gone", "gone-2"));

        registry.deregister(NS, "gone-1");

        assertEquals(List.of("gone-2"), ids(otherMember.service(NS, "gone")));
    }

    @Test
    void deregisteringAnUnknownIdSaysAnInstanceIdIsExpected() {
        registry.register(instance("known", "known-1"));

        UnknownInstanceException error = assertThrows(UnknownInstanceException.class,
                () -> registry.deregister(NS, "known"));
        assertTrue(error.getMessage().contains("not a service name"), error.getMessage());
    }

    @Test
    void filtersByAllTagsAndByPassing() {
        registry.register(instance("filtered", "f-1", "blue", "canary"));
        registry.register(instance("filtered", "f-2", "blue"));
        registry.register(withCheck("filtered", "f-3", HealthStatus.CRITICAL));

        ServiceView view = registry.service(NS, "filtered");
        assertEquals(List.of("f-1"), ids(view.select(new InstanceFilter(List.of("blue", "canary"), false))));
        assertEquals(List.of("f-1", "f-2"), ids(view.select(new InstanceFilter(List.of(), true))));
        assertEquals(List.of("f-1", "f-2", "f-3"), ids(view.select(InstanceFilter.ALL)));
    }

    @Test
    void theSameServiceNameInTwoNamespacesIsTwoServices() {
        registry.register(inNamespace("prod", "shared", "shared-1"));
        registry.register(inNamespace("staging", "shared", "shared-1"));
        registry.deregister("staging", "shared-1");

        assertEquals(List.of("shared-1"), ids(registry.service("prod", "shared")));
        assertTrue(registry.service("staging", "shared").instances().isEmpty());
        assertTrue(registry.catalog("prod").tagsByService().containsKey("shared"));
        assertFalse(registry.catalog("staging").tagsByService().containsKey("shared"));
    }

    @Test
    void theServiceIndexGrowsAcrossDeregisteringEveryInstanceAndRegisteringAgain() {
        long afterRegister = registry.service(NS, "phoenix").index();
        registry.register(instance("phoenix", "p-1"));
        long registered = registry.service(NS, "phoenix").index();
        registry.deregister(NS, "p-1");
        long emptied = registry.service(NS, "phoenix").index();
        registry.register(instance("phoenix", "p-1"));
        long reborn = registry.service(NS, "phoenix").index();

        assertTrue(afterRegister < registered && registered < emptied && emptied < reborn,
                afterRegister + " < " + registered + " < " + emptied + " < " + reborn);
    }

    @Test
    void theCatalogListsServicesWithTheirTagsAndItsIndexGrowsWithEveryChange() {
        long before = registry.catalog("catalog-ns").index();
        registry.register(inNamespace("catalog-ns", "alpha", "a-1", "x"));
        registry.register(inNamespace("catalog-ns", "alpha", "a-2", "y"));
        registry.register(inNamespace("catalog-ns", "beta", "b-1"));

        var catalog = registry.catalog("catalog-ns");
        assertEquals(Map.of("alpha", new java.util.TreeSet<>(List.of("x", "y")), "beta", new java.util.TreeSet<>()),
                catalog.tagsByService());
        assertTrue(catalog.index() > before);
    }

    @Test
    void aWaiterIsAnsweredAtOnceWhenTheIndexIsAlreadyPast() throws Exception {
        registry.register(instance("ready", "ready-1"));
        ServiceView view = registry.awaitService(NS, "ready", 0).get(5, TimeUnit.SECONDS);
        assertEquals(List.of("ready-1"), ids(view));
    }

    @Test
    void waitersOnAnotherMemberWakeOnAChange() throws Exception {
        registry.register(instance("watched", "w-1"));
        long index = otherMember.service(NS, "watched").index();
        CompletableFuture<ServiceView> first = otherMember.awaitService(NS, "watched", index);
        CompletableFuture<ServiceView> second = otherMember.awaitService(NS, "watched", index);
        assertFalse(first.isDone());

        registry.register(instance("watched", "w-2"));

        ServiceView woken = first.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("w-1", "w-2"), ids(woken));
        assertTrue(woken.index() > index);
        assertEquals(woken, second.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aCatalogWaiterWakesWhenANewServiceRegisters() throws Exception {
        long index = registry.catalog("watch-ns").index();
        CompletableFuture<Long> waiting = otherMember.awaitCatalog("watch-ns", index);
        registry.register(inNamespace("watch-ns", "newcomer", "n-1"));
        long woken = waiting.get(10, TimeUnit.SECONDS);
        assertTrue(woken > index);
        // What the woken waiter reads shows the change, at the index it was woken with.
        var catalog = otherMember.catalog("watch-ns");
        assertTrue(catalog.tagsByService().containsKey("newcomer"), catalog.toString());
        assertEquals(woken, catalog.index());
    }

    @Test
    void aConsistentReadSeesWhatTheProjectionSees() {
        registry.register(instance("strict", "s-1"));
        registry.register(instance("strict", "s-2"));
        assertEquals(ids(registry.service(NS, "strict")), ids(registry.serviceConsistent(NS, "strict")));
    }

    @Test
    void anInvalidRegistrationWritesNothing() {
        ServiceInstance bad = new ServiceInstance(NS, "bad name!", "bad-1", "", 70000, List.of(), Map.of(), null,
                false, List.of(), "");
        long catalogIndex = registry.catalog(NS).index();

        InvalidRegistrationException error = assertThrows(InvalidRegistrationException.class,
                () -> registry.register(bad));
        assertEquals(2, error.violations().size(), error.getMessage());
        assertEquals(catalogIndex, registry.catalog(NS).index());
    }

    @Test
    void aProjectionWriteLostAfterTheCommitIsRepaired() {
        AtomicBoolean dropNext = new AtomicBoolean(true);
        RegistrySettings settings = new RegistrySettings(256, 8, Duration.ofSeconds(10), "lossy", true);
        try (HazelcastRegistry lossy = new HazelcastRegistry(cluster.member(1), settings, Clock.systemUTC(),
                projection -> (shardId, key, part, deadline) -> {
                    if (!dropNext.getAndSet(false)) {
                        projection.apply(shardId, key, part, deadline);
                    }
                })) {
            lossy.register(instance("lossy", "lost-1"));
            assertTrue(registry.service(NS, "lossy").instances().isEmpty(), "the write never reached the projection");
            assertEquals(List.of("lost-1"), ids(registry.serviceConsistent(NS, "lossy")), "but it is committed");

            assertTrue(registry.repairProjection(Duration.ZERO) >= 1);

            assertEquals(List.of("lost-1"), ids(registry.service(NS, "lossy")));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(
                    () -> assertEquals(0, registry.repairProjection(Duration.ZERO),
                            "a later round finds nothing to repair"));
        }
    }

    /**
     * Under steady writes, anti-entropy's round reads parts whose own projection steps are still under way: those are
     * not lost, and re-applying them (counted in {@code meridian_projection_repaired_parts_total}) would be work
     * wasted and a false alarm. A round leaves parts younger than the settle time alone.
     */
    @Test
    void aWriteStillOnItsWayToTheProjectionIsNotRepairedAsLost() throws Exception {
        CountDownLatch roundDone = new CountDownLatch(1);
        RegistrySettings settings = new RegistrySettings(256, 8, Duration.ofSeconds(10), "slow", true);
        try (HazelcastRegistry slow = new HazelcastRegistry(cluster.member(1), settings, Clock.systemUTC(),
                projection -> (shardId, key, part, deadline) -> {
                    awaitQuietly(roundDone);
                    projection.apply(shardId, key, part, deadline);
                })) {
            CompletableFuture<Long> write = CompletableFuture.supplyAsync(
                    () -> slow.register(instance("unhurried", "unhurried-1")));
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> ids(registry.serviceConsistent(NS, "unhurried")).equals(List.of("unhurried-1")));

            assertEquals(0, registry.repair().serviceParts(),
                    "committed, not yet projected, and younger than the settle time: left to its own step");
            assertTrue(projected("unhurried").isEmpty(), "and nothing re-applied it");
            roundDone.countDown();
            write.get(10, TimeUnit.SECONDS);

            assertEquals(List.of("unhurried-1"), projected("unhurried"), "its own step landed it");
        }
    }

    /**
     * A part's index is its committing node's clock, so a node whose clock runs an hour ahead writes parts that look
     * an hour young: a lost one of those is still repaired in the next round, not an hour later.
     */
    @Test
    void aLostWriteFromANodeWhoseClockRunsAheadIsStillRepairedAtOnce() {
        RegistrySettings settings = new RegistrySettings(256, 8, Duration.ofSeconds(10), "ahead", true);
        Clock hourAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        try (HazelcastRegistry ahead = new HazelcastRegistry(cluster.member(1), settings, hourAhead,
                projection -> (shardId, key, part, deadline) -> { })) {
            ahead.register(inNamespace("skewed", "ahead", "ahead-1"));
            assertTrue(registry.service("skewed", "ahead").instances().isEmpty(),
                    "the write never reached the projection");

            assertTrue(registry.repair().serviceParts() >= 1, "its index is an hour ahead, not young");
            assertEquals(List.of("ahead-1"), ids(registry.service("skewed", "ahead")));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTtlRenewalThatChangesTheStatusIsCommittedBeforeItReturnsAndOneThatChangesNothingCommitsNothing() {
        Check ttl = new Check("prompt-ttl", "", CheckKind.TTL, "", null, null, null, Duration.ofMinutes(5), null,
                null, HealthStatus.CRITICAL, "");
        registry.register(instance("prompt", "prompt-1").withChecks(List.of(ttl)));

        registry.renewTtl(NS, "prompt-ttl", HealthStatus.PASSING, "up");
        assertEquals(HealthStatus.PASSING, healthOf(registry, "prompt"), "seen at once, not at the lease's next look");
        long passingIndex = registry.service(NS, "prompt").index();
        await().atMost(Duration.ofSeconds(1)).until(() -> healthOf(otherMember, "prompt") == HealthStatus.PASSING);

        registry.renewTtl(NS, "prompt-ttl", HealthStatus.PASSING, "still up");
        assertEquals(passingIndex, registry.service(NS, "prompt").index(),
                "a renewal that changes nothing commits nothing");
        assertEquals("still up", otherMember.checkOutcomes(NS, List.of("prompt-ttl")).get("prompt-ttl").output());

        otherMember.renewTtl(NS, "prompt-ttl", HealthStatus.WARNING, "draining");
        assertEquals(HealthStatus.WARNING, healthOf(otherMember, "prompt"));
        assertTrue(otherMember.service(NS, "prompt").index() > passingIndex);
        otherMember.renewTtl(NS, "prompt-ttl", HealthStatus.CRITICAL, "stopping");
        assertEquals(HealthStatus.CRITICAL, healthOf(otherMember, "prompt"));
        registry.deregister(NS, "prompt-1");
    }

    private static HealthStatus healthOf(HazelcastRegistry member, String service) {
        return member.service(NS, service).instances().get(0).instance().health();
    }

    @Test
    void aCheckIdBelongsToOneInstanceAndDeregistrationFreesItWithItsLeaseAndIndexEntry() {
        Check ttl = new Check("shared-ttl", "", CheckKind.TTL, "", null, null, null, Duration.ofMinutes(1), null,
                null, HealthStatus.CRITICAL, "");
        ServiceInstance owner = instance("owners", "owner-1").withChecks(List.of(ttl));
        registry.register(owner);
        registry.renewTtl(NS, "shared-ttl", HealthStatus.PASSING, "fine");
        CheckRecords records = otherMember.checkRecords();
        IMap<String, String> checkIndex = cluster.member(1).getMap(GridNames.CHECKS_MAP);
        assertTrue(records.lease(NS, "owner-1", "shared-ttl").isPresent(), "leases are kept by instance");

        assertThrows(CheckIdTakenException.class,
                () -> otherMember.register(instance("thieves", "thief-1").withChecks(List.of(ttl))));
        assertThrows(CheckIdTakenException.class, () -> otherMember.putCheck(NS, "owner-1-twin", ttl));
        registry.register(instance("thieves", "thief-1"));
        assertThrows(CheckIdTakenException.class, () -> registry.putCheck(NS, "thief-1", ttl));
        assertEquals(List.of("owner-1"), ids(registry.service(NS, "owners")));
        registry.register(owner);

        registry.deregister(NS, "owner-1");
        assertTrue(records.lease(NS, "owner-1", "shared-ttl").isEmpty(), "the lease went with it");
        assertEquals(Map.of(), records.outcomes(NS, List.of("shared-ttl")), "and the renewal's outcome");
        assertFalse(checkIndex.containsKey(NS + "/shared-ttl"), "and its index entry");
        registry.register(owner);
        assertTrue(records.lease(NS, "owner-1", "shared-ttl").isEmpty(), "registered again, it starts fresh");
        registry.deregister(NS, "owner-1");
        registry.putCheck(NS, "thief-1", ttl);
        assertEquals(List.of("shared-ttl"), registry.service(NS, "thieves").instances().get(0).instance().checks()
                .stream().map(Check::id).toList(), "a freed id may be taken");
        registry.deregister(NS, "thief-1");
    }

    @Test
    void eachCheckedInstanceIsReportedByTheOneMemberThatOwnsItsSliceAndFollowsEachWrite() throws Exception {
        List<Map<String, List<InstanceEntry>>> reports = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
                new ConcurrentHashMap<>());
        List<AutoCloseable> following = new ArrayList<>();
        try (HazelcastRegistry thirdMember = new HazelcastRegistry(cluster.member(1),
                new RegistrySettings(256, 8, Duration.ofSeconds(10), "node-1", true), Clock.systemUTC())) {
            List<HazelcastRegistry> members = List.of(registry, thirdMember, otherMember);
            for (int i = 0; i < 3; i++) {
                Map<String, List<InstanceEntry>> bySlice = reports.get(i);
                following.add(members.get(i).followOwnedChecks((slice, instances) -> {
                    if (instances.isEmpty()) {
                        bySlice.remove(slice);
                    } else {
                        bySlice.put(slice, instances);
                    }
                }, Duration.ofMillis(100)));
            }
            for (int i = 0; i < 40; i++) {
                registry.register(withCheck("owned", "owned-" + i, HealthStatus.PASSING));
            }
            registry.register(instance("owned", "unchecked-1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> ownedStatuses(reports).size() == 40);

            registry.register(withCheck("owned", "owned-7", HealthStatus.CRITICAL));
            registry.deregister(NS, "owned-8");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Map<String, HealthStatus> owned = ownedStatuses(reports);
                assertEquals(39, owned.size());
                assertEquals(HealthStatus.CRITICAL, owned.get("owned-7"), "a changed instance is reported again");
                assertEquals(HealthStatus.PASSING, owned.get("owned-9"));
                assertFalse(owned.containsKey("owned-8"), "a deregistered one is gone");
            });
            for (int i = 0; i < 40; i++) {
                if (i != 8) {
                    registry.deregister(NS, "owned-" + i);
                }
            }
            registry.deregister(NS, "unchecked-1");
            await().atMost(Duration.ofSeconds(5)).until(() -> ownedStatuses(reports).isEmpty());
        } finally {
            for (AutoCloseable follower : following) {
                follower.close();
            }
        }
    }

    @Test
    void afterAHealedSplitEverySliceAMemberOwnsIsReportedAgain() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 30; i++) {
            registry.register(withCheck("merged-" + i, "merged-" + i, HealthStatus.PASSING));
        }
        try (AutoCloseable following = registry.followOwnedChecks((slice, instances) -> heard.add(
                slice + (instances.isEmpty() ? " empty" : " " + instances.size())), Duration.ofMillis(100))) {
            AtomicInteger reportsAtLastLook = new AtomicInteger(-1);
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> !heard.isEmpty() && reportsAtLastLook.getAndSet(heard.size()) == heard.size());
            Map<String, String> owned = new HashMap<>();
            heard.forEach(report -> owned.put(report.substring(0, report.lastIndexOf(' ')), report));
            owned.values().removeIf(report -> report.endsWith(" empty"));
            assertFalse(owned.isEmpty(), "30 services' slices, and this member owns none");
            heard.clear();

            ((LifecycleServiceImpl) cluster.member(0).getLifecycleService()).fireLifecycleEvent(
                    LifecycleEvent.LifecycleState.MERGED);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (Map.Entry<String, String> slice : owned.entrySet()) {
                    int dropped = heard.indexOf(slice.getKey() + " empty");
                    assertTrue(dropped >= 0 && heard.subList(dropped, heard.size()).contains(slice.getValue()),
                            slice.getKey() + " was not reported again: " + heard);
                }
            });
        } finally {
            for (int i = 0; i < 30; i++) {
                registry.deregister(NS, "merged-" + i);
            }
        }
    }

    /**
     * The status of each instance of service {@code owned} over what the members reported they own; fails on an
     * instance two members report.
     */
    private static Map<String, HealthStatus> ownedStatuses(List<Map<String, List<InstanceEntry>>> reports) {
        Map<String, HealthStatus> statuses = new HashMap<>();
        for (Map<String, List<InstanceEntry>> bySlice : reports) {
            for (List<InstanceEntry> entries : bySlice.values()) {
                for (InstanceEntry entry : entries) {
                    if (entry.instance().service().equals("owned")) {
                        HealthStatus previous = statuses.put(entry.instance().id(), entry.instance().checks().get(0)
                                .status());
                        assertEquals(null, previous, entry.instance().id() + " is reported by two members");
                    }
                }
            }
        }
        return statuses;
    }

    @Test
    void aLostCheckIndexEntryIsPutBackFromTheCommittedState() {
        Check ttl = new Check("indexed-ttl", "", CheckKind.TTL, "", null, null, null, Duration.ofMinutes(1), null,
                null, HealthStatus.CRITICAL, "");
        registry.register(instance("indexed", "indexed-1").withChecks(List.of(ttl)));
        assertEquals(0, registry.repair().checkIndexEntries());
        IMap<String, String> checkIndex = cluster.member(2).getMap(GridNames.CHECKS_MAP);
        checkIndex.delete(NS + "/indexed-ttl");
        assertThrows(UnknownCheckException.class,
                () -> registry.renewTtl(NS, "indexed-ttl", HealthStatus.PASSING, "lost"));

        assertEquals(1, registry.repair().checkIndexEntries());
        registry.renewTtl(NS, "indexed-ttl", HealthStatus.PASSING, "found again");
        registry.deregister(NS, "indexed-1");
    }

    @Test
    void aWritesProjectionStepEndsByTheWritesOwnAnswerDeadline() {
        AtomicLong givenDeadline = new AtomicLong();
        Duration writeTimeout = Duration.ofSeconds(3);
        RegistrySettings settings = new RegistrySettings(256, 8, writeTimeout, "bounded", true);
        try (HazelcastRegistry bounded = new HazelcastRegistry(cluster.member(1), settings, Clock.systemUTC(),
                projection -> (shardId, key, part, deadline) -> {
                    givenDeadline.set(deadline);
                    projection.apply(shardId, key, part, deadline);
                })) {
            long allowed = writeTimeout.plus(HazelcastRegistry.AFTER_COMMIT_ALLOWANCE).toNanos();
            long before = System.nanoTime();
            bounded.register(instance("bounded", "bounded-1"));
            long after = System.nanoTime();

            assertTrue(givenDeadline.get() - before >= allowed && givenDeadline.get() - after <= allowed,
                    "the step ends when the whole write must be answered, not after a bound of its own");
            bounded.deregister(NS, "bounded-1");
        }
    }

    @Test
    void aProjectionStepCutShortIsTriedAgainUntilItLands() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        RegistrySettings settings = new RegistrySettings(256, 8, Duration.ofSeconds(10), "cut-off", true);
        try (HazelcastRegistry cutOff = new HazelcastRegistry(cluster.member(1), settings, Clock.systemUTC(),
                projection -> (shardId, key, part, deadline) -> {
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new HazelcastException("the partition owner is out of reach");
                    }
                    projection.apply(shardId, key, part, deadline);
                })) {
            cutOff.register(instance("retried", "retried-1"));
            assertTrue(otherMember.service(NS, "retried").instances().isEmpty(), "the step failed");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(
                    () -> assertEquals(List.of("retried-1"), ids(otherMember.service(NS, "retried"))));
            assertEquals(0, registry.repairProjection(Duration.ZERO), "landed without anti-entropy");
        }
    }

    @Test
    void aMemberWhoseProjectionLagsNeverAnswersBelowAnIndexItHasAnswered() {
        AtomicBoolean drop = new AtomicBoolean(false);
        RegistrySettings settings = new RegistrySettings(256, 8, Duration.ofSeconds(10), "lagging", true);
        try (HazelcastRegistry lagging = new HazelcastRegistry(cluster.member(1), settings, Clock.systemUTC(),
                projection -> (shardId, key, part, deadline) -> {
                    if (!drop.get()) {
                        projection.apply(shardId, key, part, deadline);
                    }
                })) {
            lagging.register(instance("lagging", "seen-1"));
            drop.set(true);
            lagging.register(instance("lagging", "unprojected-1"));
            ServiceView before = lagging.service(NS, "lagging");
            assertEquals(List.of("seen-1"), ids(before), "the second write never reached the projection");

            ServiceView consistent = lagging.serviceConsistent(NS, "lagging");
            assertEquals(List.of("seen-1", "unprojected-1"), ids(consistent));
            assertTrue(consistent.index() > before.index());

            ServiceView after = lagging.service(NS, "lagging");
            assertTrue(after.index() >= consistent.index(), "the index did not go back");
            assertEquals(List.of("seen-1", "unprojected-1"), ids(after));
            assertTrue(lagging.serviceConsistent(NS, "lagging").index() >= after.index());
            assertTrue(registry.repairProjection(Duration.ZERO) >= 1,
                    "anti-entropy brings the projection up to the write");
        }
    }

    /**
     * What a promoted backup that never received an update leaves behind: a slice or a header that is older than
     * what the write had projected. Anti-entropy compares the slices and headers themselves with the committed
     * shards, so it finds both.
     */
    @Test
    void aSliceOrAHeaderThatLostAnUpdateIsRepaired() {
        registry.register(instance("forgetful", "kept-1"));
        String serviceKey = ServiceKeys.service(NS, "forgetful");
        IMap<String, ServiceHeader> headers = cluster.member(2).getMap(GridNames.SERVICES_MAP);
        IMap<String, ServiceSlice> slices = cluster.member(2).getMap(GridNames.SLICES_MAP);
        ServiceHeader header = headers.get(serviceKey);
        int bucket = header.buckets().keySet().iterator().next();

        // Losses at the same index, which no change event would announce: only anti-entropy finds them.
        headers.set(serviceKey, new ServiceHeader(header.index(), Map.of()));
        assertEquals(1, registry.repairProjection(Duration.ZERO));
        assertEquals(header.buckets().keySet(), headers.get(serviceKey).buckets().keySet(), "the header has it again");
        assertEquals(List.of("kept-1"), projected("forgetful"));

        slices.set(ServiceKeys.slice(serviceKey, bucket), ServiceSlice.EMPTY);
        assertEquals(1, registry.repairProjection(Duration.ZERO));
        assertEquals(List.of("kept-1"), projected("forgetful"));
        assertEquals(0, registry.repairProjection(Duration.ZERO), "nothing left to repair");
    }

    /** The service as member 2's copy of the projection holds it, read directly rather than through a held view. */
    private List<String> projected(String service) {
        try (NearestCopy copies = new NearestCopy(cluster.member(2), List.of())) {
            return ids(new Projection(cluster.member(2), 8, copies).service(NS, service));
        }
    }

    @Test
    void scheduledAntiEntropyHealsALostProjectionWriteWithin30Seconds() {
        RegistrySettings settings = new RegistrySettings(256, 8, Duration.ofSeconds(10), "lossy", true);
        try (HazelcastRegistry lossy = new HazelcastRegistry(cluster.member(1), settings, Clock.systemUTC(),
                projection -> (shardId, key, part, deadline) -> { });
             AntiEntropy first = AntiEntropy.start(registry, cluster.member(0), AntiEntropy.DEFAULT_INTERVAL);
             AntiEntropy second = AntiEntropy.start(lossy, cluster.member(1), AntiEntropy.DEFAULT_INTERVAL);
             AntiEntropy third = AntiEntropy.start(otherMember, cluster.member(2), AntiEntropy.DEFAULT_INTERVAL)) {
            lossy.register(instance("healed", "healed-1"));
            assertTrue(registry.service(NS, "healed").instances().isEmpty(), "the write never reached the projection");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertEquals(List.of("healed-1"), ids(registry.service(NS, "healed"))));
        }
    }

    @Test
    void concurrentWritesToOneServiceAllLand() {
        List<CompletableFuture<Long>> writes = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "c-" + i;
            writes.add(CompletableFuture.supplyAsync(() -> registry.register(instance("crowd", id))));
        }
        writes.forEach(CompletableFuture::join);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertEquals(40, registry.service(NS, "crowd").instances().size()));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(0, registry.repairProjection(Duration.ZERO)));
    }

    private static List<String> ids(ServiceView view) {
        return ids(view.instances());
    }

    private static List<String> ids(List<InstanceEntry> entries) {
        return entries.stream().map(entry -> entry.instance().id()).toList();
    }
}
