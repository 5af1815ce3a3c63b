package io.meridian.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroupId;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.internal.RaftService;
import com.hazelcast.cp.internal.raft.impl.RaftEndpoint;
import com.hazelcast.cp.internal.raft.impl.RaftNode;
import com.hazelcast.cp.internal.raft.impl.RaftNodeImpl;
import com.hazelcast.spi.impl.operationservice.impl.RaftInvocationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this member's CP calls pointed at the leader its own Raft nodes follow. Hazelcast 5.4 sends a CP call to the
 * leader it last heard from, and moves on only when that member leaves the member list or answers that it no longer
 * leads. A leader that freezes (SIGSTOP, a long pause) so holds every write of the other members until the failure
 * detector removes it, 5-6 s later, although they elected a new leader about 2 s after it froze. Every
 * {@link #EVERY}, for each CP group this member is in, the leader its Raft node follows becomes the leader its calls go
 * to; a wrong hint costs one call answered "not the leader", which names the right one. Uses Hazelcast internals, as
 * {@link LocalRaftReport} does, tied to the pinned 5.4.0. {@link #close()} stops it.
 */
final class RaftLeaderHint implements AutoCloseable {

    private static final Duration EVERY = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(RaftLeaderHint.class);

    private final RaftService raft;
    private final RaftInvocationContext calls;
    private final Method setKnownLeader;
    private final ScheduledExecutorService scheduler;

    private RaftLeaderHint(HazelcastInstance member) throws NoSuchMethodException {
        this.raft = LocalRaftReport.raftService(member);
        this.calls = raft.getInvocationManager().getRaftInvocationContext();
        this.setKnownLeader = RaftInvocationContext.class.getDeclaredMethod("setKnownLeader", CPGroupId.class,
                CPMember.class);
        setKnownLeader.setAccessible(true);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-raft-leader-hint");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts hinting. */
    static RaftLeaderHint start(HazelcastInstance member) {
        RaftLeaderHint hint;
        try {
            hint = new RaftLeaderHint(member);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this Hazelcast is not the 5.4.0 Meridian is built for", e);
        }
        hint.scheduler.scheduleWithFixedDelay(hint::hintAll, EVERY.toMillis(), EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return hint;
    }

    private void hintAll() {
        try {
            for (RaftNode node : raft.getAllRaftNodes()) {
                if (node instanceof RaftNodeImpl raftNode && !node.isTerminatedOrSteppedDown()) {
                    // The node's state is its own thread's: read it there.
                    raftNode.execute(() -> hint(node.getGroupId(), raftNode.getLeader()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not hint the CP leaders this round: {}", e.toString());
        }
    }

    private void hint(CPGroupId group, RaftEndpoint leader) {
        CPMember member = leader == null ? null : calls.getCPMember(leader.getUuid());
        if (member == null) {
            return;
        }
        try {
            setKnownLeader.invoke(calls, group, member);
        } catch (IllegalAccessException | InvocationTargetException e) {
            LOG.warn("could not point CP calls of {} at {}: {}", group.getName(), member, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
