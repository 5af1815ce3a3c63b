package io.meridian.operator;

/**
 * One server of the CP Subsystem as Consul's {@code /v1/operator/raft/configuration} shows it.
 *
 * @param id      the server's CP member id; a restarted process gets a new one
 * @param node    the name of the node that runs it, or empty while the member is gone
 * @param address the member's {@code host:port}
 * @param leader  whether it leads the group
 * @param voter   whether it has a seat in the group
 */
public record RaftServer(String id, String node, String address, boolean leader, boolean voter) {
}
