package io.meridian.registry.grid;

import java.io.Serializable;
import java.util.Map;

/**
 * What anti-entropy compares of a slice, read on its owner so that no instances travel: the index of each shard's
 * part it holds, and its summary as the service's header should show it.
 */
record SliceState(Map<Integer, Long> partIndexes, BucketSummary summary) implements Serializable {

    SliceState {
        partIndexes = Map.copyOf(partIndexes);
    }

    /** Whether the slice holds the shard's part at {@code index} or later. */
    boolean holds(int shardId, long index) {
        return partIndexes.getOrDefault(shardId, 0L) >= index;
    }

    /**
     * Whether a header read after this state lacks it: its summary of the slice is missing, older, or another at the
     * same version. A newer summary is no loss: a write landed between the two reads (a header is moved only after its
     * slice), which under load happened hundreds of times per anti-entropy round and was re-applied as lost.
     */
    boolean isMissingFrom(BucketSummary inHeader) {
        return inHeader == null || inHeader.version() < summary.version()
                || inHeader.version() == summary.version() && !inHeader.equals(summary);
    }
}
