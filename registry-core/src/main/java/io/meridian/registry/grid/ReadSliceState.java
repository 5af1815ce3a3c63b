package io.meridian.registry.grid;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;

import java.util.HashMap;
import java.util.Map;

/** Reads a slice's {@link SliceState} where the slice is; changes nothing, so it makes no backups. */
record ReadSliceState() implements EntryProcessor<String, ServiceSlice, SliceState>, ReadOnly {

    @Override
    public SliceState process(Map.Entry<String, ServiceSlice> entry) {
        ServiceSlice slice = entry.getValue();
        if (slice == null) {
            return null;
        }
        Map<Integer, Long> indexes = new HashMap<>();
        slice.parts().forEach((shardId, part) -> indexes.put(shardId, part.index()));
        return new SliceState(indexes, slice.summary());
    }

    @Override
    public EntryProcessor<String, ServiceSlice, SliceState> getBackupProcessor() {
        return null;
    }
}
