package io.meridian.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.internal.CPMemberInfo;
import com.hazelcast.cp.internal.RaftService;
import com.hazelcast.cp.internal.raft.impl.RaftEndpoint;
import com.hazelcast.cp.internal.raft.impl.RaftNode;
import com.hazelcast.cp.internal.raft.impl.RaftNodeImpl;
import com.hazelcast.cp.internal.raft.impl.RaftRole;
import com.hazelcast.cp.internal.raft.impl.state.RaftState;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;

import java.io.Serializable;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the member it runs on for its {@link RaftReport} on the default CP group, which Hazelcast exposes only through
 * its internal API. Sent through an executor to members that are not this one; the answer is null on a member that
 * has no Raft node for the group.
 */
final class LocalRaftReport implements Callable<RaftReport>, HazelcastInstanceAware, Serializable {

    private static final long serialVersionUID = 1L;

    private transient HazelcastInstance member;

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public RaftReport call() throws Exception {
        return of(member).orElse(null);
    }

    /** The report of the given member, read on its Raft node's own thread; empty if it has no node for the group. */
    static Optional<RaftReport> of(HazelcastInstance member) throws Exception {
        RaftService raft = raftService(member);
        CPMemberInfo local = raft.getLocalCPMember();
        RaftNode node = raft.getAllRaftNodes().stream()
                .filter(candidate -> candidate.getGroupId().getName().equals(CPGroup.DEFAULT_GROUP_NAME))
                .findFirst().orElse(null);
        if (local == null || !(node instanceof RaftNodeImpl raftNode) || node.isTerminatedOrSteppedDown()) {
            return Optional.empty();
        }
        CompletableFuture<RaftReport> report = new CompletableFuture<>();
        raftNode.execute(() -> {
            RaftState state = raftNode.state();
            RaftEndpoint leader = state.leader();
            boolean leading = state.role() == RaftRole.LEADER;
            report.complete(new RaftReport(local.getUuid(), leading, leader == null ? null : leader.getUuid(),
                    state.term(), state.lastApplied(),
                    leading ? 0 : System.currentTimeMillis() - raftNode.lastAppendEntriesTimestamp(),
                    state.committedGroupMembers().members().stream().map(RaftEndpoint::getUuid).toList(),
                    state.committedGroupMembers().index()));
        });
        return Optional.of(report.get(1, TimeUnit.SECONDS));
    }

    /** The member's Raft service: Hazelcast hands tasks its implementation, and everyone else a proxy of it. */
    static RaftService raftService(HazelcastInstance member) {
        HazelcastInstanceImpl instance = member instanceof HazelcastInstanceProxy proxy ? proxy.getOriginal()
                : (HazelcastInstanceImpl) member;
        return instance.node.getNodeEngine().getService(RaftService.SERVICE_NAME);
    }
}
