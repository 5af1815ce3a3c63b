package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

import java.util.HashSet;
import java.util.Set;

/**
 * The Raft operation a node commits once it has merged its disk. Writes open once disks with data from a majority of
 * the largest recorded cluster have merged (every acknowledged write is on a majority of disks, so these hold all of
 * them), or once every expected member has merged (a new cluster, whose disks are all empty, or one that lost the
 * majority of its disks and opens with what is left). A node with an empty disk never completes a majority on its own
 * account: it may be a replaced disk. Idempotent.
 */
record MarkMerged(String node, boolean hadData, int quorum, int expected)
        implements IFunction<RestoreProgress, RestoreProgress> {

    @Override
    public RestoreProgress apply(RestoreProgress progress) {
        if (progress != null && progress.open()) {
            return progress;
        }
        Set<String> merged = new HashSet<>(progress == null ? Set.of() : progress.merged());
        Set<String> withData = new HashSet<>(progress == null ? Set.of() : progress.withData());
        merged.add(node);
        if (hadData) {
            withData.add(node);
        }
        int neededWithData = Math.max(quorum, progress == null ? 0 : progress.quorum());
        int neededInAll = Math.max(expected, progress == null ? 0 : progress.expected());
        boolean open = withData.size() >= neededWithData || merged.size() >= neededInAll;
        return new RestoreProgress(merged, withData, neededWithData, neededInAll, open);
    }
}
