package io.meridian.node;

import com.hazelcast.config.Config;

/**
 * How members notice that a peer is gone: heartbeats every second, judged by Hazelcast's phi-accrual detector with
 * 4 s of acceptable pause. A peer that stops answering (crashed, paused, cut off) is removed from the member list
 * about 5 s after its last heartbeat, instead of Hazelcast's default 60 s; only then do invocations waiting on it
 * move to the new partition owners (CP calls move to a new leader before, see {@link RaftLeaderHint}). A GC pause of up
 * to a few seconds (the members' heaps pause for tens of milliseconds) does not get a member removed. When only some
 * pairs of members cannot reach each other, the master waits three heartbeats for every member's reports and removes
 * the fewest members that leave the rest fully connected. DESIGN.md, section 7, gives the reasoning.
 */
final class FailureDetection {

    private FailureDetection() {
    }

    static void configure(Config config) {
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.heartbeat.failuredetector.type", "phi-accrual");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "4");
        config.setProperty("hazelcast.heartbeat.phiaccrual.failuredetector.threshold", "10");
        config.setProperty("hazelcast.heartbeat.phiaccrual.failuredetector.sample.size", "200");
        config.setProperty("hazelcast.heartbeat.phiaccrual.failuredetector.min.std.dev.millis", "200");
        config.setProperty("hazelcast.partial.member.disconnection.resolution.heartbeat.count", "3");
    }
}
