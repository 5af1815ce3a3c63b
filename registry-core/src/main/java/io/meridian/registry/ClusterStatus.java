package io.meridian.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the cluster looks like from this node: the Raft group that holds the registry (its leader and its voting
 * members), and the members that run.
 */
public interface ClusterStatus {

    /** The {@code host:port} of the current leader, or empty while there is none (an election, or no majority). */
    Optional<String> leader();

    /** The {@code host:port} of every voting member. */
    List<String> peers();

    /**
     * How long ago this node last heard of a working leader: zero while it does; growing while it is cut off from
     * the majority or an election goes on. Consul's {@code X-Consul-LastContact}.
     */
    Duration lastContact();

    /**
     * The node name of every member this node last saw running, by the member's {@code host:port}: what Consul's
     * {@code /v1/agent/members} lists.
     */
    Map<String, String> members();

    /**
     * Whether this node's own member runs. False once Hazelcast has stopped it underneath the node (it does so after a
     * failed CP discovery, a failed split-brain merge or an {@code OutOfMemoryError}); nothing but starting the process
     * again brings it back.
     */
    boolean memberRunning();
}
