package io.meridian.registry.grid;

import java.util.Map;

/**
 * Puts a shard's part of a service into its slice if it is newer than the one there (only forward), and returns the
 * slice's summary either way, so that a repair can bring the header up to date too. Its backups take the slice it made
 * ({@link MadeOnOwner}).
 */
final class ApplyPart extends MadeOnOwner<ServiceSlice, BucketSummary> {

    private final int shardId;
    private final ServicePart part;

    ApplyPart(int shardId, ServicePart part) {
        this.shardId = shardId;
        this.part = part;
    }

    int shardId() {
        return shardId;
    }

    ServicePart part() {
        return part;
    }

    @Override
    protected BucketSummary apply(Map.Entry<String, ServiceSlice> entry) {
        ServiceSlice slice = entry.getValue() == null ? ServiceSlice.EMPTY : entry.getValue();
        if (slice.isOlderThan(shardId, part)) {
            slice = slice.with(shardId, part);
            set(entry, slice);
        }
        return slice.summary();
    }
}
