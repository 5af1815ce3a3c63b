package io.meridian.registry.grid;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/**
 * Moves a namespace's index past both its current value and a change's index: how members of earlier versions kept
 * {@link GridNames#NAMESPACES_MAP}. Kept registered so that, during a rolling upgrade, a member of this version that
 * owns such an entry can still run their steps; remove it in the release after.
 */
record AdvanceIndex(long changeIndex) implements EntryProcessor<String, Long, Long> {

    @Override
    public Long process(Map.Entry<String, Long> entry) {
        long current = entry.getValue() == null ? 1 : entry.getValue();
        long advanced = Math.max(current + 1, changeIndex);
        entry.setValue(advanced);
        return advanced;
    }
}
