package io.meridian.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One server's health as autopilot sees it.
 *
 * @param server      who it is and its place in the group
 * @param alive       whether it is a running member of the cluster
 * @param lastContact how long ago it heard from the leader (zero on the leader); empty if it did not answer
 * @param lastTerm    its Raft term
 * @param lastIndex   the last log index it applied
 * @param healthy     alive, answering, in the leader's term, in recent contact and not trailing the leader's log
 * @param stableSince when {@code healthy} last changed
 */
public record ServerHealth(RaftServer server, boolean alive, Optional<Duration> lastContact, long lastTerm,
                           long lastIndex, boolean healthy, Instant stableSince) {
}
