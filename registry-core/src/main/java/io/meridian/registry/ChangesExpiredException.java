package io.meridian.registry;

/**
 * The position asked for is older than the oldest event still kept, so the events in between are gone, or past the
 * stream's end, since the stream started again. The consumer
 * reads the registry's current state and resumes from {@link #snapshotPosition()}, taken before it reads, so that it
 * misses no change made while it reads.
 */
public final class ChangesExpiredException extends RegistryException {

    private final long oldestPosition;
    private final long snapshotPosition;

    public ChangesExpiredException(long asked, long oldestPosition, long snapshotPosition) {
        this("position " + asked + " is gone: the oldest event kept is at " + oldestPosition
                + "; read the current state, then resume from " + snapshotPosition, oldestPosition, snapshotPosition);
    }

    private ChangesExpiredException(String message, long oldestPosition, long snapshotPosition) {
        super(message);
        this.oldestPosition = oldestPosition;
        this.snapshotPosition = snapshotPosition;
    }

    /**
     * The position asked for is past the stream's end: the stream started again (the whole cluster stopped, and events
     * are kept in memory), so the consumer's positions mean nothing any more.
     */
    public static ChangesExpiredException restarted(long asked, long oldestPosition, long snapshotPosition) {
        return new ChangesExpiredException("position " + asked + " is past the stream's end, " + snapshotPosition
                + ": the stream started again since (the whole cluster stopped); read the current state, then resume"
                + " from " + snapshotPosition, oldestPosition, snapshotPosition);
    }

    public long oldestPosition() {
        return oldestPosition;
    }

    public long snapshotPosition() {
        return snapshotPosition;
    }
}
