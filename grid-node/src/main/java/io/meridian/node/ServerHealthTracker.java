package io.meridian.node;

import io.meridian.operator.AutopilotHealth;
import io.meridian.operator.AutopilotSettings;
import io.meridian.operator.RaftServer;
import io.meridian.operator.ServerHealth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns each {@link CpSnapshot} into autopilot's health of every server, as Consul's autopilot judges it: a server is
 * healthy when it is running, answered, is in the leader's term, heard from the leader within the last-contact
 * threshold and trails the leader's log by no more than the allowed entries. The cluster is healthy when every server
 * is, a leader is known and each of the group's seats is held by a healthy CP member. It remembers when each server's
 * health last changed ({@code StableSince}). Called from one thread; {@link #latest()} may be read from any.
 */
final class ServerHealthTracker {

    private final int groupSize;
    private final Map<UUID, Boolean> lastHealthy = new HashMap<>();
    private final Map<UUID, Instant> stableSince = new HashMap<>();
    private volatile AutopilotHealth latest = AutopilotHealth.UNKNOWN;

    /** @param groupSize the seats the group should have: the configured CP member count */
    ServerHealthTracker(int groupSize) {
        this.groupSize = groupSize;
    }

    AutopilotHealth latest() {
        return latest;
    }

    /** Judges the snapshot under the settings and keeps the result as {@link #latest()}. */
    void observe(CpSnapshot snapshot, AutopilotSettings settings) {
        Optional<RaftReport> leaderReport = snapshot.leader().map(snapshot.reports()::get);
        List<ServerHealth> servers = new ArrayList<>();
        int healthyVoters = 0;
        for (UUID id : snapshot.cpMembers().keySet()) {
            RaftReport report = snapshot.reports().get(id);
            boolean running = snapshot.isRunning(id);
            boolean healthy = running && report != null && leaderReport.isPresent()
                    && report.term() == leaderReport.get().term()
                    && report.sinceLeaderContact() <= settings.lastContactThreshold().toMillis()
                    && leaderReport.get().lastIndex() - report.lastIndex() <= settings.maxTrailingLogs();
            if (!Boolean.valueOf(healthy).equals(lastHealthy.put(id, healthy))) {
                stableSince.put(id, snapshot.takenAt());
            }
            RaftServer server = snapshot.server(id);
            if (server.voter() && healthy) {
                healthyVoters++;
            }
            servers.add(new ServerHealth(server, running,
                    Optional.ofNullable(report).map(r -> Duration.ofMillis(r.sinceLeaderContact())),
                    report == null ? 0 : report.term(), report == null ? 0 : report.lastIndex(), healthy,
                    stableSince.get(id)));
        }
        lastHealthy.keySet().retainAll(snapshot.cpMembers().keySet());
        stableSince.keySet().retainAll(snapshot.cpMembers().keySet());
        int quorum = snapshot.voters().size() / 2 + 1;
        boolean allHealthy = !servers.isEmpty() && servers.stream().allMatch(ServerHealth::healthy);
        // A seat counts as filled only by a healthy CP member: the group's committed members can still name a member
        // already removed from the CP Subsystem (its removal from the group pending or failed), which fills nothing.
        boolean seatsFilled = snapshot.leader().isPresent() && healthyVoters >= groupSize;
        latest = new AutopilotHealth(allHealthy && seatsFilled, Math.max(0, healthyVoters - quorum),
                snapshot.leader().map(UUID::toString), servers);
    }
}
