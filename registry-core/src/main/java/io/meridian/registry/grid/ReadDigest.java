package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import io.meridian.registry.Check;
import io.meridian.registry.InstanceEntry;

import java.util.HashMap;
import java.util.Map;

/** A read-only query of a shard: its {@link ShardDigest}, or null for a shard never written. */
record ReadDigest() implements IFunction<Shard, ShardDigest> {

    @Override
    public ShardDigest apply(Shard shard) {
        if (shard == null) {
            return null;
        }
        HashMap<String, Long> indexes = new HashMap<>();
        HashMap<String, String> locations = new HashMap<>();
        for (Map.Entry<String, ServicePart> part : shard.parts().entrySet()) {
            indexes.put(part.getKey(), part.getValue().index());
            String namespace = ServiceKeys.namespaceOf(part.getKey());
            for (InstanceEntry entry : part.getValue().instances().values()) {
                for (Check check : entry.instance().checks()) {
                    locations.put(namespace + '/' + check.id(), part.getKey() + '/' + entry.instance().id());
                }
            }
        }
        return new ShardDigest(indexes, locations);
    }
}
