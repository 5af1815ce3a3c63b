package io.meridian.registry.grid;

import java.io.Serializable;
import java.util.Set;

/**
 * How far a cold start has come: the nodes that have merged what their disks hold into the committed state (and
 * which of them had anything), how many must have, and whether writes are open. A cluster whose CP Subsystem is empty
 * (a new cluster, or one whose every member stopped) holds none, and takes no writes until {@link MarkMerged} opens
 * them.
 *
 * @param merged   the names of the nodes that have merged their disks
 * @param withData those of them whose disk held anything
 * @param quorum   how many disks with data make a majority: of the largest cluster any of them recorded
 * @param expected how many members the cluster has at least: once that many have merged, writes open with what
 *                 they had, even if fewer disks than a quorum held data (a new cluster; disks lost)
 * @param open     whether the cluster takes writes
 */
public record RestoreProgress(Set<String> merged, Set<String> withData, int quorum, int expected, boolean open)
        implements Serializable {

    public RestoreProgress {
        merged = Set.copyOf(merged);
        withData = Set.copyOf(withData);
    }
}
