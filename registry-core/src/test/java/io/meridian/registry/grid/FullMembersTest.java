package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import io.meridian.acl.Access;
import io.meridian.acl.AclPolicy;
import io.meridian.acl.AclRule;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.registry.PreparedQuery;
import io.meridian.registry.RegistryFullException;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member that reports itself full stops registrations through every member and SDK client, not only its own, and
 * new ACL policies and prepared queries, and they are taken again once it has room or has left the cluster.
 */
class FullMembersTest {

    private static final String NS = ServiceInstance.DEFAULT_NAMESPACE;
    private static final Duration HEARD = Duration.ofSeconds(10);

    private static MemberAndClient grid;
    private static TestCluster cluster;
    private static HazelcastRegistry throughMember;
    private static HazelcastRegistry throughClient;
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void start() {
        grid = MemberAndClient.start(config -> { });
        cluster = grid.cluster;
        throughMember = grid.throughMember;
        throughClient = grid.throughClient;
    }

    @AfterAll
    static void stop() {
        grid.close();
    }

    @Test
    void aFullMemberStopsRegistrationsEverywhereUntilItHasRoomOrLeaves() {
        HazelcastInstance small = cluster.addMember();
        FullMembers reports = new FullMembers(small);
        awaitTaken();

        reports.report(Optional.of("91% of the old generation in use"));
        for (HazelcastRegistry registry : List.of(throughMember, throughClient)) {
            await().atMost(HEARD).until(() -> refused(registry));
            ServiceInstance refused = next();
            RegistryFullException full = assertThrows(RegistryFullException.class, () -> registry.register(refused));
            assertTrue(full.getMessage().contains("91% of the old generation in use"), full.getMessage());
            assertTrue(throughMember.instances(NS).stream().noneMatch(entry -> entry.instance().id()
                    .equals(refused.id())), "a refused registration writes nothing");
        }

        reports.report(Optional.empty());
        awaitTaken();

        reports.report(Optional.of("95% of the old generation in use"));
        await().atMost(HEARD).until(() -> refused(throughClient));
        cluster.terminate(small);
        awaitTaken();
    }

    @Test
    void aFullMemberStopsNewAclsAndPreparedQueriesWhichEveryMemberHoldsToo() {
        HazelcastInstance small = cluster.addMember();
        FullMembers reports = new FullMembers(small);
        HazelcastAclStore acls = new HazelcastAclStore(cluster.member(0).getCPSubsystem(), Optional.empty(),
                Duration.ofSeconds(10), throughMember.durableWrites());
        HazelcastPreparedQueries queries = new HazelcastPreparedQueries(cluster.member(0).getCPSubsystem(),
                Duration.ofSeconds(10), throughMember.durableWrites());
        acls.admitWritesBy(throughMember.fullMembers());
        queries.admitWritesBy(throughMember.fullMembers());
        AclPolicy policy = new AclPolicy("readers", List.of(new AclRule(NS, "", Access.READ)));
        PreparedQuery query = new PreparedQuery("", "by-name", NS, "web", List.of(), true, "", "", 0, 0);
        try {
            reports.report(Optional.of("93% of the old generation in use"));
            await().atMost(HEARD).until(() -> refused(throughMember));

            assertThrows(RegistryFullException.class, () -> acls.putPolicy(policy));
            assertThrows(RegistryFullException.class, () -> queries.create(query));
            assertTrue(acls.policies().stream().noneMatch(held -> held.name().equals("readers")),
                    "a refused policy writes nothing");
            assertTrue(queries.all().isEmpty(), "a refused query writes nothing");

            reports.report(Optional.empty());
            awaitTaken();
            acls.putPolicy(policy);
            PreparedQuery created = queries.create(query);
            assertTrue(acls.policies().stream().anyMatch(held -> held.name().equals("readers")));
            assertEquals(List.of(created.id()), queries.all().stream().map(PreparedQuery::id).toList());
        } finally {
            cluster.terminate(small);
        }
    }

    @Test
    void aReportGoneWithoutAnEventIsNotHeldAgainstTheClusterByAProcessThatHeardIt() {
        FullMembers early = new FullMembers(cluster.member(1));
        FullMembers late = new FullMembers(cluster.member(2));
        try {
            early.report(Optional.of("full for a moment"));
            await().atMost(HEARD).until(() -> refusedBy(late));
            // A cleared map tells entry listeners nothing: the report is gone, but still heard.
            cluster.member(0).getMap(GridNames.FULL_MEMBERS_MAP).clear();

            late.requireRoom();
        } finally {
            early.close();
            late.close();
        }
    }

    /**
     * A removal heard late, after the member reported itself full again (as when the report's partition migrates and
     * the two events come from two owners), must not hide the report.
     */
    @Test
    void aRemovalHeardAfterTheNextReportDoesNotHideIt() {
        FullMembers full = new FullMembers(cluster.member(1));
        FullMembers listening = new FullMembers(cluster.member(2));
        try {
            full.report(Optional.of("full again"));
            await().atMost(HEARD).until(() -> refusedBy(listening));

            listening.forget(cluster.member(1).getCluster().getLocalMember().getUuid().toString());

            await().atMost(HEARD).until(() -> refusedBy(listening));
        } finally {
            full.report(Optional.empty());
            full.close();
            listening.close();
        }
    }

    private static boolean refusedBy(FullMembers members) {
        try {
            members.requireRoom();
            return false;
        } catch (RegistryFullException e) {
            return true;
        }
    }

    private ServiceInstance next() {
        return instance("full-test", "full-" + ids.incrementAndGet());
    }

    private void awaitTaken() {
        for (HazelcastRegistry registry : List.of(throughMember, throughClient)) {
            await().atMost(HEARD).until(() -> !refused(registry));
        }
    }

    private boolean refused(HazelcastRegistry registry) {
        try {
            registry.register(next());
            return false;
        } catch (RegistryFullException e) {
            return true;
        }
    }
}
