package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

import java.util.Set;

/** The Raft operation that opens writes whatever the cold start's progress: for a recovery that starts afresh. */
record OpenWrites() implements IFunction<RestoreProgress, RestoreProgress> {

    @Override
    public RestoreProgress apply(RestoreProgress progress) {
        return progress == null ? new RestoreProgress(Set.of(), Set.of(), 0, 0, true)
                : new RestoreProgress(progress.merged(), progress.withData(), progress.quorum(), progress.expected(),
                        true);
    }
}
