package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

import java.util.HashMap;
import java.util.Map;

/** A read-only query of a shard: the index of each of its service parts, what anti-entropy compares. */
record PartIndexes() implements IFunction<Shard, HashMap<String, Long>> {

    @Override
    public HashMap<String, Long> apply(Shard shard) {
        if (shard == null) {
            return null;
        }
        HashMap<String, Long> indexes = new HashMap<>();
        for (Map.Entry<String, ServicePart> part : shard.parts().entrySet()) {
            indexes.put(part.getKey(), part.getValue().index());
        }
        return indexes;
    }
}
