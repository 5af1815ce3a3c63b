package io.meridian.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.CPGroupId;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.internal.RaftService;
import com.hazelcast.cp.internal.raft.impl.RaftNodeImpl;
import com.hazelcast.spi.impl.operationservice.impl.RaftInvocationContext;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A member whose CP calls point at a member that does not lead (as after a leader froze and the others elected a
 * new one) is pointed back at the leader its own Raft node follows, without waiting for a call to be refused.
 * Without the hint the wrong leader stays known until a call goes to it, which is what held writes for seconds.
 */
class RaftLeaderHintTest {

    @Test
    void callsPointingAtAMemberThatDoesNotLeadArePointedAtTheLeaderTheRaftNodeFollows() throws Exception {
        try (TestCluster cluster = TestCluster.start(3)) {
            HazelcastInstance member = cluster.member(0);
            member.getCPSubsystem().getAtomicLong("hinted").incrementAndGet();
            CPGroup group = member.getCPSubsystem().getCPSubsystemManagementService()
                    .getCPGroup(CPGroup.DEFAULT_GROUP_NAME).toCompletableFuture().get();
            RaftService raft = LocalRaftReport.raftService(member);
            RaftInvocationContext calls = raft.getInvocationManager().getRaftInvocationContext();
            UUID leader = await().atMost(Duration.ofSeconds(10)).until(() -> followedLeader(raft, group.id()),
                    uuid -> uuid != null);
            CPMember notLeading = member.getCPSubsystem().getCPSubsystemManagementService().getCPMembers()
                    .toCompletableFuture().get().stream().filter(cp -> !cp.getUuid().equals(leader))
                    .findFirst().orElseThrow();
            point(calls, group.id(), notLeading);
            assertNotEquals(leader, knownLeader(calls, group.id()).getUuid(), "the wrong leader is known");

            try (RaftLeaderHint ignored = RaftLeaderHint.start(member)) {
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertEquals(leader, knownLeader(calls, group.id()).getUuid()));
            }
        }
    }

    /** The leader this member's Raft node of the group follows, or null if it has none yet. */
    private static UUID followedLeader(RaftService raft, CPGroupId group) {
        RaftNodeImpl node = (RaftNodeImpl) raft.getRaftNode(group);
        return node == null || node.getLeader() == null ? null : node.getLeader().getUuid();
    }

    private static void point(RaftInvocationContext calls, CPGroupId group, CPMember member) throws Exception {
        Method set = RaftInvocationContext.class.getDeclaredMethod("setKnownLeader", CPGroupId.class,
                CPMember.class);
        set.setAccessible(true);
        set.invoke(calls, group, member);
    }

    private static CPMember knownLeader(RaftInvocationContext calls, CPGroupId group) throws Exception {
        Method get = RaftInvocationContext.class.getDeclaredMethod("getKnownLeader", CPGroupId.class);
        get.setAccessible(true);
        return (CPMember) get.invoke(calls, group);
    }
}
