package io.meridian.registry.grid;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The head of a service in the projection: its index, which moves forward with every applied change, and a summary
 * of each slice, so that a lookup reads only the slices that hold instances.
 */
record ServiceHeader(long index, Map<Integer, BucketSummary> buckets) implements Serializable {

    ServiceHeader {
        buckets = Map.copyOf(buckets);
    }

    /**
     * This header with the summary of a slice, if it is newer than the one held; the index moves past both the old
     * index and the change's.
     */
    ServiceHeader with(int bucket, BucketSummary summary, long changeIndex) {
        BucketSummary held = buckets.get(bucket);
        if (held != null && held.version() >= summary.version()) {
            return this;
        }
        Map<Integer, BucketSummary> newBuckets = new HashMap<>(buckets);
        newBuckets.put(bucket, summary);
        return new ServiceHeader(Math.max(index + 1, changeIndex), newBuckets);
    }

    int instanceCount() {
        return buckets.values().stream().mapToInt(BucketSummary::instances).sum();
    }

    TreeSet<String> tags() {
        TreeSet<String> tags = new TreeSet<>();
        buckets.values().forEach(summary -> tags.addAll(summary.tags()));
        return tags;
    }
}
