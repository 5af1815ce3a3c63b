package io.meridian.http;

import io.meridian.registry.ClusterStatus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A Raft group's status that tests set: a leader, voting members and a last contact that never change. */
record FixedClusterStatus(Optional<String> leader, List<String> peers, Duration lastContact)
        implements ClusterStatus {

    /** A leader at 127.0.0.1:5701, the only voter. */
    static final FixedClusterStatus ONE_LEADER = new FixedClusterStatus(Optional.of("127.0.0.1:5701"),
            List.of("127.0.0.1:5701"), Duration.ZERO);
}
