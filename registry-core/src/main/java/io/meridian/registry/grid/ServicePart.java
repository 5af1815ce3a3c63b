package io.meridian.registry.grid;

import io.meridian.registry.InstanceEntry;

import java.io.Serializable;
import java.util.Map;

/**
 * The instances of one service that live in one shard, by id, and the index of their last change. An empty part is
 * kept as a tombstone so that its index, and so the service's, never goes back.
 */
record ServicePart(long index, Map<String, InstanceEntry> instances) implements Serializable {

    ServicePart {
        instances = Map.copyOf(instances);
    }
}
