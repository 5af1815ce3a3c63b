package io.meridian.registry.grid;

import io.meridian.registry.InstanceEntry;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A slice of a service's instances in the projection: the parts of the shards that map to one bucket. A large
 * service spreads over many slices, so a change moves one small value, not the whole service.
 */
record ServiceSlice(Map<Integer, ServicePart> parts) implements Serializable {

    static final ServiceSlice EMPTY = new ServiceSlice(Map.of());

    ServiceSlice {
        parts = Map.copyOf(parts);
    }

    /** Whether the part is newer than what the slice holds for its shard. */
    boolean isOlderThan(int shardId, ServicePart part) {
        ServicePart held = parts.get(shardId);
        return held == null || held.index() < part.index();
    }

    ServiceSlice with(int shardId, ServicePart part) {
        Map<Integer, ServicePart> newParts = new HashMap<>(parts);
        newParts.put(shardId, part);
        return new ServiceSlice(newParts);
    }

    Stream<InstanceEntry> instances() {
        return parts.values().stream().flatMap(part -> part.instances().values().stream());
    }

    /**
     * The sum of the parts' indexes: every change raises one part's index and lowers none, so the sum grows with each
     * change, and a late summary is older.
     */
    long version() {
        return parts.values().stream().mapToLong(ServicePart::index).sum();
    }

    int instanceCount() {
        return parts.values().stream().mapToInt(part -> part.instances().size()).sum();
    }

    BucketSummary summary() {
        TreeSet<String> tags = new TreeSet<>();
        instances().forEach(entry -> tags.addAll(entry.instance().tags()));
        return new BucketSummary(version(), instanceCount(), tags.stream().toList());
    }
}
