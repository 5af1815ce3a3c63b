package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MultiExecutionCallback;
import io.meridian.registry.FailureReports;
import io.meridian.registry.HealthStatus;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Failure reports through Hazelcast's distributed executor: the report goes to every member, and the one that checks
 * the instance (its partition owner) runs its checks at once. One small message per member per report.
 */
public final class DistributedFailureReports implements FailureReports {

    /** The distributed executor that carries reports. */
    public static final String EXECUTOR = "meridian-check-now";

    private final IExecutorService executor;

    public DistributedFailureReports(HazelcastInstance hazelcast) {
        this.executor = hazelcast.getExecutorService(EXECUTOR);
    }

    @Override
    public CompletableFuture<Optional<HealthStatus>> reportFailure(String namespace, String instanceId) {
        CompletableFuture<Optional<HealthStatus>> health = new CompletableFuture<>();
        executor.submitToAllMembers(new CheckNow(namespace, instanceId), new MultiExecutionCallback() {
            @Override
            public void onResponse(Member member, Object value) {
                // every answer is looked at once all are in
            }

            @Override
            public void onComplete(Map<Member, Object> values) {
                health.complete(values.values().stream()
                        .filter(HealthStatus.class::isInstance).map(HealthStatus.class::cast).findFirst());
            }
        });
        return health;
    }
}
