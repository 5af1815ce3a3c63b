package io.meridian.operator;

/**
 * Reads and repairs the Raft configuration of the CP group that holds the registry, and keeps autopilot's settings.
 * Implementations are thread-safe; reads answer from a view at most about a second old and never block on Raft.
 */
public interface RaftOperator {

    /** The servers of the CP Subsystem: the group's voters, and CP members waiting for a seat as non-voters. */
    RaftConfiguration configuration();

    /**
     * Removes a server from the CP Subsystem, as Consul's {@code DELETE /v1/operator/raft/peer} does.
     *
     * @param idOrAddress the server's {@code ID}, or its {@code host:port}
     * @param force       remove it even though it is a running member
     * @throws UnknownPeerException    if no server has that id or address
     * @throws LivePeerException       if the server is a running member and {@code force} is false
     * @throws io.meridian.registry.RegistryUnavailableException if the CP Subsystem has no majority to commit it
     */
    void removePeer(String idOrAddress, boolean force);

    /**
     * Brings the cluster back to a writable state after it lost its CP majority for good, as Consul's
     * {@code peers.json} recovery does: resets the CP Subsystem (a new, empty CP group of running members) and commits
     * again every registration this node's projection holds, and the ACL state this node last read. Runs on the
     * oldest member, which Hazelcast requires of a reset.
     *
     * @throws RecoveryRefusedException if the CP Subsystem still has a majority, too few members run to form a new
     *                                  group, or this is not the oldest member
     */
    RecoveryReport recover();

    /** Autopilot's latest view of every server's health. */
    AutopilotHealth health();

    /** The autopilot settings in force across the cluster. */
    AutopilotSettings settings();

    /**
     * Replaces the autopilot settings on every member.
     *
     * @throws io.meridian.registry.RegistryUnavailableException if they cannot be stored
     */
    void updateSettings(AutopilotSettings settings);
}
