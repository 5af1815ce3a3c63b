package io.meridian.operator;

import java.util.List;
import java.util.Optional;

/**
 * Autopilot's view of the CP Subsystem, in the shape of Consul's {@code /v1/operator/autopilot/health}.
 *
 * @param healthy          whether every server is healthy and a leader is known
 * @param failureTolerance how many voters may fail without losing the majority: healthy voters minus the quorum
 * @param leader           the leader's id, if one is known
 * @param servers          every server of the CP Subsystem
 */
public record AutopilotHealth(boolean healthy, int failureTolerance, Optional<String> leader,
                              List<ServerHealth> servers) {

    public AutopilotHealth {
        servers = List.copyOf(servers);
    }

    /** The view before autopilot has looked: nothing known, nothing healthy. */
    public static final AutopilotHealth UNKNOWN = new AutopilotHealth(false, 0, Optional.empty(), List.of());
}
