package io.meridian.http;

import io.meridian.registry.ClusterStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster's status that tests set: a leader, voting members, a last contact and running members that never change;
 * this node's member always runs.
 */
record FixedClusterStatus(Optional<String> leader, List<String> peers, Duration lastContact,
                          Map<String, String> members) implements ClusterStatus {

    /** A leader at 127.0.0.1:5701, the only voter and the only member, node {@code node-1}. */
    static final FixedClusterStatus ONE_LEADER = new FixedClusterStatus(Optional.of("127.0.0.1:5701"),
            List.of("127.0.0.1:5701"), Duration.ZERO, Map.of("127.0.0.1:5701", "node-1"));

    @Override
    public boolean memberRunning() {
        return true;
    }
}
