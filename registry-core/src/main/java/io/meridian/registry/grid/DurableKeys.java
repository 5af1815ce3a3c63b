package io.meridian.registry.grid;

import io.meridian.registry.durable.VersionedValue;

import java.util.HashMap;
import java.util.Map;

/**
 * The keys of the registry's values in the durable state: {@code registry/<shard>/<namespace>/<service>} for the part
 * of a service that lives in a shard.
 */
final class DurableKeys {

    private static final String PREFIX = "registry/";

    private DurableKeys() {
    }

    static String part(int shardId, String serviceKey) {
        return PREFIX + shardId + '/' + serviceKey;
    }

    /** The registry's parts in a durable state, by shard and then by service key; other keys are left out. */
    static Map<Integer, Map<String, ServicePart>> partsByShard(Map<String, VersionedValue> state, int shardCount) {
        Map<Integer, Map<String, ServicePart>> byShard = new HashMap<>();
        state.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) || !(value.value() instanceof ServicePart part)) {
                return;
            }
            String[] shardAndService = key.substring(PREFIX.length()).split("/", 2);
            int shardId = Integer.parseInt(shardAndService[0]);
            if (shardId < 0 || shardId >= shardCount) {
                throw new IllegalArgumentException("the state holds shard " + shardId + " but this cluster has "
                        + shardCount + " shards: it was written with another layout");
            }
            byShard.computeIfAbsent(shardId, id -> new HashMap<>()).put(shardAndService[1], part);
        });
        return byShard;
    }
}
