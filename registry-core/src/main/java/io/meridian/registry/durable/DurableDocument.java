package io.meridian.registry.durable;

import java.util.Map;

/**
 * A piece of the cluster's durable state kept apart from the registry (the ACLs, the prepared queries): what the
 * node's start-up sync, snapshots and their restores do with it. Implementations are thread-safe.
 */
public interface DurableDocument {

    /** The committed state as durable state, under the document's own keys; empty if it was never written. */
    Map<String, VersionedValue> committedState();

    /**
     * Merges what a member's disk holds of the document into the committed state, keeping the newer: a cold start's
     * step, while the restore gate is still closed. Does nothing if the durable state holds none of it.
     */
    void merge(Map<String, VersionedValue> durableState);

    /** Makes the committed state the durable state's (a snapshot restore); none of it there means an empty one. */
    void replace(Map<String, VersionedValue> durableState);
}
