package io.meridian.registry.grid;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/** Puts a slice's summary into the service's header if it is newer, moving the service's index forward. */
record ApplySummary(int bucket, BucketSummary summary, long changeIndex)
        implements EntryProcessor<String, ServiceHeader, Long> {

    @Override
    public Long process(Map.Entry<String, ServiceHeader> entry) {
        ServiceHeader header = entry.getValue() == null ? new ServiceHeader(1, Map.of()) : entry.getValue();
        ServiceHeader updated = header.with(bucket, summary, changeIndex);
        if (updated != header) {
            entry.setValue(updated);
        }
        return updated.index();
    }
}
