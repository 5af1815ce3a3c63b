package io.meridian.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the Raft group that holds the registry looks like from this node: its leader and its voting members. */
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
}
