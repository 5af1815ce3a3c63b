package io.meridian.registry.grid;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/**
 * Puts a shard's part of a service into its slice if it is newer than the one there (only forward), and returns the
 * slice's summary either way, so that a repair can bring the header up to date too.
 */
record ApplyPart(int shardId, ServicePart part) implements EntryProcessor<String, ServiceSlice, BucketSummary> {

    @Override
    public BucketSummary process(Map.Entry<String, ServiceSlice> entry) {
        ServiceSlice slice = entry.getValue() == null ? ServiceSlice.EMPTY : entry.getValue();
        if (slice.isOlderThan(shardId, part)) {
            slice = slice.with(shardId, part);
            entry.setValue(slice);
        }
        return slice.summary();
    }
}
