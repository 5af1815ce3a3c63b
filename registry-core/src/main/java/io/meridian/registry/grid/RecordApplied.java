package io.meridian.registry.grid;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/** Notes in a shard's digest that the projection holds a service part up to an index. */
record RecordApplied(String serviceKey, long index) implements EntryProcessor<Integer, ShardDigest, Void> {

    @Override
    public Void process(Map.Entry<Integer, ShardDigest> entry) {
        ShardDigest digest = entry.getValue() == null ? ShardDigest.EMPTY : entry.getValue();
        if (!digest.hasApplied(serviceKey, index)) {
            entry.setValue(digest.with(serviceKey, index));
        }
        return null;
    }
}
