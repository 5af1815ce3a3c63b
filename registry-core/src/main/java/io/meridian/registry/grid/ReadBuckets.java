package io.meridian.registry.grid;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;

import java.util.HashMap;
import java.util.Map;

/** Reads a service header's slice summaries where the header is; changes nothing, so it makes no backups. */
record ReadBuckets() implements EntryProcessor<String, ServiceHeader, HashMap<Integer, BucketSummary>>, ReadOnly {

    @Override
    public HashMap<Integer, BucketSummary> process(Map.Entry<String, ServiceHeader> entry) {
        return entry.getValue() == null ? null : new HashMap<>(entry.getValue().buckets());
    }

    @Override
    public EntryProcessor<String, ServiceHeader, HashMap<Integer, BucketSummary>> getBackupProcessor() {
        return null;
    }
}
