package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Raft operation that makes a shard hold exactly the given service parts (a snapshot's): a service the snapshot
 * lacks is emptied, leaving a tombstone. Each changed part keeps the snapshot's index if that is past the shard's, so a
 * restore into a new cluster continues the snapshot's indexes, and takes the shard's next index otherwise, so the
 * projection and blocking queries see it as a change.
 */
record ReplaceParts(HashMap<String, ServicePart> replacement) implements IFunction<Shard, Shard> {

    ReplaceParts(Map<String, ServicePart> replacement) {
        this(new HashMap<>(replacement));
    }

    @Override
    public Shard apply(Shard shard) {
        Shard current = shard == null ? Shard.EMPTY : shard;
        Map<String, ServicePart> parts = new HashMap<>(current.parts());
        List<String> touched = new ArrayList<>();
        long index = current.index();
        for (String key : current.parts().keySet()) {
            if (!replacement.containsKey(key) && !current.parts().get(key).instances().isEmpty()) {
                parts.put(key, new ServicePart(current.index() + 1, Map.of()));
                touched.add(key);
                index = Math.max(index, current.index() + 1);
            }
        }
        for (Map.Entry<String, ServicePart> wanted : replacement.entrySet()) {
            if (wanted.getValue().equals(current.parts().get(wanted.getKey()))) {
                continue;
            }
            long partIndex = Math.max(wanted.getValue().index(), current.index() + 1);
            parts.put(wanted.getKey(), new ServicePart(partIndex, wanted.getValue().instances()));
            touched.add(wanted.getKey());
            index = Math.max(index, partIndex);
        }
        return new Shard(index, parts, touched);
    }
}
