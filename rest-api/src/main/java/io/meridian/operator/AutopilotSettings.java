package io.meridian.operator;

import java.time.Duration;
import java.util.Objects;

/**
 * Autopilot's settings, in the shape of Consul's {@code /v1/operator/autopilot/configuration}, with one field of
 * Meridian's own.
 *
 * @param cleanupDeadServers      remove a voter once it has been gone from the cluster for {@code deadServerThreshold}
 * @param lastContactThreshold    a follower that heard from the leader longer ago than this is unhealthy
 * @param maxTrailingLogs         a server whose log trails the leader's by more than this is unhealthy
 * @param minQuorum               dead servers are not removed when that would leave fewer voters than this
 * @param serverStabilizationTime how long a member must have been up before it is given a seat
 * @param deadServerThreshold     how long a voter must have been gone from the cluster before it is removed; longer
 *                                than a GC pause or a network blip, so neither costs a seat
 */
public record AutopilotSettings(boolean cleanupDeadServers, Duration lastContactThreshold, long maxTrailingLogs,
                                int minQuorum, Duration serverStabilizationTime, Duration deadServerThreshold) {

    /**
     * Consul's defaults, except a last-contact threshold of 1 s (Meridian's leader heartbeats every 500 ms, so an idle
     * follower's last contact is up to that old) and the dead-server threshold of 30 s.
     */
    public static final AutopilotSettings DEFAULTS = new AutopilotSettings(true, Duration.ofSeconds(1), 250, 0,
            Duration.ofSeconds(10), Duration.ofSeconds(30));

    /** @throws IllegalArgumentException naming the field that is negative */
    public AutopilotSettings {
        Objects.requireNonNull(lastContactThreshold, "lastContactThreshold");
        Objects.requireNonNull(serverStabilizationTime, "serverStabilizationTime");
        Objects.requireNonNull(deadServerThreshold, "deadServerThreshold");
        if (lastContactThreshold.isNegative() || serverStabilizationTime.isNegative()
                || deadServerThreshold.isNegative() || maxTrailingLogs < 0 || minQuorum < 0) {
            throw new IllegalArgumentException("autopilot settings must not be negative");
        }
    }
}
