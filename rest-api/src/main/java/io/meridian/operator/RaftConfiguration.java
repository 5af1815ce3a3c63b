package io.meridian.operator;

import java.util.List;

/**
 * The Raft configuration of the group that holds the registry.
 *
 * @param servers the voters and the CP members without a seat
 * @param index   the Raft log index at which the group's membership was last changed
 */
public record RaftConfiguration(List<RaftServer> servers, long index) {

    public RaftConfiguration {
        servers = List.copyOf(servers);
    }
}
