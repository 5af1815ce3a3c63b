package io.meridian.node;

import io.meridian.operator.RaftServer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The CP Subsystem as one member saw it at one moment: its CP members, which of them hold a seat in the group that
 * holds the registry, who leads it, what each CP member reported, and which members are running.
 *
 * @param takenAt      when it was seen
 * @param cpMembers    every CP member, by CP id, with its {@code host:port}
 * @param voters       the CP ids with a seat in the group
 * @param leader       the leader's CP id, if one is known
 * @param membersIndex the log index at which the group's membership was committed
 * @param reports      what each CP member that answered reported, by CP id
 * @param running      the node name of every running member, by {@code host:port}
 */
record CpSnapshot(Instant takenAt, Map<UUID, String> cpMembers, Set<UUID> voters, Optional<UUID> leader,
                  long membersIndex, Map<UUID, RaftReport> reports, Map<String, String> running) {

    /** Before the first look: nothing known. */
    static final CpSnapshot NOTHING = new CpSnapshot(Instant.EPOCH, Map.of(), Set.of(), Optional.empty(), 0,
            Map.of(), Map.of());

    /** The leader's {@code host:port}, if a leader is known. */
    Optional<String> leaderAddress() {
        return leader.map(cpMembers::get);
    }

    /** The {@code host:port} of every voter, sorted. */
    List<String> voterAddresses() {
        return voters.stream().map(cpMembers::get).filter(address -> address != null).sorted().toList();
    }

    /** The CP member as the operator API shows it: its node's name (empty while gone), leader, voter. */
    RaftServer server(UUID cpMember) {
        String address = cpMembers.get(cpMember);
        return new RaftServer(cpMember.toString(), running.getOrDefault(address, ""), address,
                leader.filter(cpMember::equals).isPresent(), voters.contains(cpMember));
    }

    /** Whether a running member has the CP member's address. */
    boolean isRunning(UUID cpMember) {
        String address = cpMembers.get(cpMember);
        return address != null && running.containsKey(address);
    }
}
