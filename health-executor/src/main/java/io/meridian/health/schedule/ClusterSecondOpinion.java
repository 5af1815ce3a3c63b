package io.meridian.health.schedule;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.meridian.health.check.CheckResult;
import io.meridian.health.check.WatchedCheck;
import io.meridian.registry.HealthStatus;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Asks any other member of the cluster to run the probe ({@link ConfirmProbe}, through a distributed executor). A lone
 * member has nobody to ask, and writes failures as they come; a member that does not answer confirms nothing.
 */
final class ClusterSecondOpinion implements SecondOpinion {

    /** The distributed executor that carries the requests. */
    static final String EXECUTOR = "meridian-confirm-probe";

    private final HazelcastInstance member;
    private final IExecutorService confirmations;

    ClusterSecondOpinion(HazelcastInstance member) {
        this.member = member;
        this.confirmations = member.getExecutorService(EXECUTOR);
    }

    @Override
    public CompletableFuture<Opinion> ask(WatchedCheck watched) {
        Optional<Member> other = member.getCluster().getMembers().stream().filter(m -> !m.localMember()).findAny();
        if (other.isEmpty()) {
            return CompletableFuture.completedFuture(new Opinion(true, "no other member to ask"));
        }
        CompletableFuture<Opinion> opinion = new CompletableFuture<>();
        confirmations.submitToMember(new ConfirmProbe(watched), other.get(), new ExecutionCallback<CheckResult>() {
            @Override
            public void onResponse(CheckResult response) {
                opinion.complete(response == null ? new Opinion(false, "nothing (it runs no checks)")
                        : new Opinion(response.status() != HealthStatus.PASSING,
                        response.status() + ": " + response.output()));
            }

            @Override
            public void onFailure(Throwable error) {
                opinion.complete(new Opinion(false, "nothing (" + error.getClass().getSimpleName() + ")"));
            }
        });
        return opinion;
    }
}
