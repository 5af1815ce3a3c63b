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
