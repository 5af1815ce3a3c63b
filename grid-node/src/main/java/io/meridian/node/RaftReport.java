package io.meridian.node;

import java.io.Serializable;
import java.util.List;
import java.util.UUID;

/**
 * What one CP member's own Raft node says about the group that holds the registry.
 *
 * @param cpMember           the member's CP id
 * @param leader             whether it leads the group
 * @param knownLeader        the CP id of the leader it follows; null while it knows none
 * @param term               its Raft term
 * @param lastIndex          the last log index it applied
 * @param sinceLeaderContact milliseconds since it last heard from the leader; 0 on the leader
 * @param voters             the CP ids of the group's committed members, as it knows them
 * @param membersIndex       the log index at which those members were committed
 */
record RaftReport(UUID cpMember, boolean leader, UUID knownLeader, int term, long lastIndex, long sinceLeaderContact,
                  List<UUID> voters, long membersIndex) implements Serializable {
}
