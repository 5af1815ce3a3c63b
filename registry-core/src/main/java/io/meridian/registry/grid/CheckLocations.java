package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import io.meridian.registry.Check;
import io.meridian.registry.InstanceEntry;

import java.util.HashMap;
import java.util.Map;

/**
 * A read-only query of a shard: where each of its checks is, as the check index holds it ({@code namespace/checkId} to
 * {@code namespace/service/instanceId}); null for a shard with no check.
 */
record CheckLocations() implements IFunction<Shard, HashMap<String, String>> {

    @Override
    public HashMap<String, String> apply(Shard shard) {
        if (shard == null) {
            return null;
        }
        HashMap<String, String> locations = new HashMap<>();
        for (Map.Entry<String, ServicePart> part : shard.parts().entrySet()) {
            String namespace = ServiceKeys.namespaceOf(part.getKey());
            for (InstanceEntry entry : part.getValue().instances().values()) {
                for (Check check : entry.instance().checks()) {
                    locations.put(namespace + '/' + check.id(), part.getKey() + '/' + entry.instance().id());
                }
            }
        }
        return locations.isEmpty() ? null : locations;
    }
}
