package io.meridian.registry;

/**
 * The position asked for is older than the oldest event still kept: the events in between are gone. The consumer
 * reads the registry's current state and resumes from {@link #snapshotPosition()}, taken before it reads, so that it
 * misses no change made while it reads.
 */
public final class ChangesExpiredException extends RegistryException {

    private final long oldestPosition;
    private final long snapshotPosition;

    public ChangesExpiredException(long asked, long oldestPosition, long snapshotPosition) {
        super("position " + asked + " is gone: the oldest event kept is at " + oldestPosition
                + "; read the current state, then resume from " + snapshotPosition);
        this.oldestPosition = oldestPosition;
        this.snapshotPosition = snapshotPosition;
    }

    public long oldestPosition() {
        return oldestPosition;
    }

    public long snapshotPosition() {
        return snapshotPosition;
    }
}
