package io.meridian.registry.grid;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/**
 * Removes a check-index entry if it still names the instance (its value ends with {@code "/" + instanceId}), in one
 * operation on the entry's owner: an id another instance has taken since is left as it is.
 */
record ForgetLocation(String instanceSuffix) implements EntryProcessor<String, String, Boolean> {

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
        if (entry.getValue() == null || !entry.getValue().endsWith(instanceSuffix)) {
            return false;
        }
        entry.setValue(null);
        return true;
    }
}
