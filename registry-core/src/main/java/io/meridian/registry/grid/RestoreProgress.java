package io.meridian.registry.grid;

import java.io.Serializable;
import java.util.Set;

/**
 * How far a cold start has come: the nodes that have merged what their disks hold into the committed state, how many
 * must have done so, and whether writes are open. A cluster whose CP Subsystem is empty (a new cluster, or one whose
 * every member stopped) holds none, and takes no writes until enough nodes have merged.
 *
 * @param merged the names of the nodes that have merged their disks
 * @param quorum how many must have: a majority of the largest cluster any of them recorded
 * @param open   whether the cluster takes writes
 */
public record RestoreProgress(Set<String> merged, int quorum, boolean open) implements Serializable {

    public RestoreProgress {
        merged = Set.copyOf(merged);
    }
}
