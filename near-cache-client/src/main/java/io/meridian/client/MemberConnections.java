package io.meridian.client;

import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.client.impl.connection.ClientConnectionManager;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;

import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a smart Hazelcast client that started asynchronously to be connected to every member it knows of, as a
 * synchronous start would have left it. Until then a write waits out the backup-ack timeout for the acks that the
 * unconnected members would send, and listeners (watches, near-cache invalidations) miss those members' events.
 *
 * <p>Hazelcast's public API says nothing about a client's connections, so this reads its connection manager, which
 * the pinned 5.4.0 exposes through {@link HazelcastClientProxy}.
 */
final class MemberConnections {

    private static final long POLL_NANOS = 20_000_000L;

    private MemberConnections() {
    }

    /**
     * Waits until the client knows the member list and holds a connection to each member, or until the deadline.
     *
     * @param deadlineNanos when to stop waiting, on {@link System#nanoTime()}'s scale
     * @return whether every member was connected by the deadline
     */
    static boolean awaitAll(HazelcastInstance client, long deadlineNanos) {
        ClientConnectionManager connections = ((HazelcastClientProxy) client).client.getConnectionManager();
        while (!allConnected(client.getCluster().getMembers(), connections)) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    private static boolean allConnected(Set<Member> members, ClientConnectionManager connections) {
        return !members.isEmpty() && members.stream().allMatch(member -> connections.getConnection(member.getUuid())
                != null);
    }
}
