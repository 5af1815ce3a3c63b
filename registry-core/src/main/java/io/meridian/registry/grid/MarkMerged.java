package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

import java.util.HashSet;
import java.util.Set;

/**
 * The Raft operation a node commits once it has merged its disk: it adds the node, raises the quorum to the node's
 * own count if that is larger, and opens writes once enough nodes have merged. Idempotent.
 */
record MarkMerged(String node, int quorum) implements IFunction<RestoreProgress, RestoreProgress> {

    @Override
    public RestoreProgress apply(RestoreProgress progress) {
        if (progress != null && progress.open()) {
            return progress;
        }
        Set<String> merged = new HashSet<>(progress == null ? Set.of() : progress.merged());
        merged.add(node);
        int needed = Math.max(quorum, progress == null ? 0 : progress.quorum());
        return new RestoreProgress(merged, needed, merged.size() >= needed);
    }
}
