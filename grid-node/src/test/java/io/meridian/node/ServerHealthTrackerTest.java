package io.meridian.node;

import io.meridian.operator.AutopilotSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What autopilot's health says of a group of three seats, as an operator reads it between the steps of a resize. */
class ServerHealthTrackerTest {

    private static final AutopilotSettings SETTINGS = new AutopilotSettings(true, Duration.ofSeconds(1), 250, 0,
            Duration.ofSeconds(1), Duration.ofSeconds(3));
    private static final UUID FIRST = UUID.randomUUID();
    private static final UUID SECOND = UUID.randomUUID();
    private static final UUID THIRD = UUID.randomUUID();
    private static final UUID REMOVED = UUID.randomUUID();

    @Test
    void threeHealthyVotersThatAreCpMembersMakeAHealthyCluster() {
        ServerHealthTracker tracker = new ServerHealthTracker(3);

        tracker.observe(snapshot(List.of(FIRST, SECOND, THIRD), Set.of(FIRST, SECOND, THIRD)), SETTINGS);

        assertTrue(tracker.latest().healthy());
        assertEquals(1, tracker.latest().failureTolerance());
    }

    @Test
    void aSeatStillHeldByAMemberRemovedFromTheCpSubsystemIsNotFilled() {
        // The group's committed members still name a member whose removal from the group is pending: the two CP
        // members left are healthy, but one more stop would leave the group without a majority.
        ServerHealthTracker tracker = new ServerHealthTracker(3);

        tracker.observe(snapshot(List.of(FIRST, SECOND), Set.of(FIRST, SECOND, REMOVED)), SETTINGS);

        assertFalse(tracker.latest().healthy());
        assertEquals(0, tracker.latest().failureTolerance());
    }

    /** The CP members given, all running and in step with the first, which leads; the group's seats as given. */
    private static CpSnapshot snapshot(List<UUID> cpMembers, Set<UUID> voters) {
        Map<UUID, String> addresses = new HashMap<>();
        Map<UUID, RaftReport> reports = new HashMap<>();
        Map<String, String> running = new HashMap<>();
        for (int i = 0; i < cpMembers.size(); i++) {
            UUID id = cpMembers.get(i);
            String address = "127.0.0.1:" + (5701 + i);
            addresses.put(id, address);
            running.put(address, "node-" + i);
            reports.put(id, new RaftReport(id, id.equals(FIRST), FIRST, 2, 40, 0, List.copyOf(voters), 7));
        }
        return new CpSnapshot(Instant.now(), addresses, voters, Optional.of(FIRST), 7, reports, running);
    }
}
