package io.meridian.http.wire;

/**
 * {@code PUT /v1/operator/autopilot/configuration}: Consul's fields, durations as Go strings ({@code "10s"}), plus
 * Meridian's {@code DeadServerThreshold}. A field left out keeps its current value.
 */
public record AutopilotBody(Boolean cleanupDeadServers, String lastContactThreshold, Long maxTrailingLogs,
                            Integer minQuorum, String serverStabilizationTime, String deadServerThreshold) {
}
