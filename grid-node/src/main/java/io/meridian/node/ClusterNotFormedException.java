package io.meridian.node;

/**
 * This node's member did not become part of a CP Subsystem with a leader: within the start-up bound, or at all
 * because Hazelcast stopped the member, as it does to a member whose CP discovery fails (a member left the cluster,
 * stalled or cut off, before discovery completed). Until discovery completes the CP Subsystem holds nothing, so
 * starting the member again loses nothing; {@code meridian node} does so (see {@link Main}).
 */
public final class ClusterNotFormedException extends IllegalStateException {

    private final boolean restartHelps;

    ClusterNotFormedException(String message, boolean restartHelps) {
        super(message);
        this.restartHelps = restartHelps;
    }

    /** Hazelcast stopped the member while the node was still being built on it, failing with {@code cause}. */
    ClusterNotFormedException(String message, Throwable cause) {
        super(message, cause);
        this.restartHelps = true;
    }

    /**
     * Whether starting the member again can help: Hazelcast stopped it, or every member the CP Subsystem needs is in
     * the cluster and its discovery is still stuck. False while members are missing (a member that leaves while its
     * peers discover fails their discovery too, so it had better wait for the missing ones) and once discovery has
     * completed (the CP Subsystem then holds data, and a lost majority is the operator's to recover).
     */
    public boolean restartHelps() {
        return restartHelps;
    }
}
