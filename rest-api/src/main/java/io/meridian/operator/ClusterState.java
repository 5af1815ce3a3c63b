package io.meridian.operator;

import io.meridian.registry.durable.DurableDocument;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.grid.HazelcastRegistry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link DurableState} of a Hazelcast cluster: its registry's service parts and the documents kept beside it (the
 * ACLs, the prepared queries), each under keys of its own.
 */
public final class ClusterState implements DurableState {

    private final HazelcastRegistry registry;
    private final List<DurableDocument> documents;

    public ClusterState(HazelcastRegistry registry, List<DurableDocument> documents) {
        this.registry = registry;
        this.documents = List.copyOf(documents);
    }

    @Override
    public Map<String, VersionedValue> committed() {
        Map<String, VersionedValue> state = new HashMap<>(registry.committedState());
        documents.forEach(document -> state.putAll(document.committedState()));
        return state;
    }

    @Override
    public int replace(Map<String, VersionedValue> state) {
        int changed = registry.replace(state);
        documents.forEach(document -> document.replace(state));
        return changed;
    }

    /**
     * Merges a member's disk into the committed state, part by part and document by document keeping the newer: a
     * cold start's step. Returns how many of the disk's service parts were newer than the cluster's.
     */
    public int merge(Map<String, VersionedValue> disk) {
        int parts = registry.merge(disk);
        documents.forEach(document -> document.merge(disk));
        return parts;
    }
}
