package io.meridian.health.check;

import io.meridian.registry.Check;
import io.meridian.registry.CheckTarget;
import io.meridian.registry.CheckTargetRules;
import io.meridian.registry.HealthStatus;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A prober that asks the {@link CheckTargetRules} before every run: about the check's method and body, and about
 * every address its host resolves to then. A refusal makes the check critical with the rule as its output, and nothing
 * is sent; so a check registered before the rules were narrowed stops reaching what they now refuse. The probe that
 * follows resolves the same name through the JVM's address cache (30 s by default), so a name rebound to an internal
 * address between the two is not reached. Names are resolved on {@code resolving}, so a slow
 * DNS server does not hold the scheduler; literal addresses are judged at once.
 */
final class GuardedProber implements Prober {

    private final Prober probe;
    private final CheckTargetRules rules;
    private final Executor resolving;

    GuardedProber(Prober probe, CheckTargetRules rules, Executor resolving) {
        this.probe = probe;
        this.rules = rules;
        this.resolving = resolving;
    }

    @Override
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        Check check = watched.check();
        Optional<String> methodRefusal = rules.methodRefusal(check);
        if (methodRefusal.isPresent()) {
            return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                    "not probed: " + methodRefusal.get()));
        }
        Optional<CheckTarget> target = CheckTarget.of(check);
        if (target.isEmpty()) {
            return probe.probe(watched);
        }
        if (target.get().isLiteral()) {
            return judged(watched, target.get());
        }
        return CompletableFuture.supplyAsync(() -> judged(watched, target.get()), resolving)
                .thenCompose(result -> result);
    }

    private CompletableFuture<CheckResult> judged(WatchedCheck watched, CheckTarget target) {
        try {
            for (InetAddress address : InetAddress.getAllByName(target.host())) {
                Optional<String> refusal = rules.refusal(address, target.port());
                if (refusal.isPresent()) {
                    return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                            "not probed: " + refusal.get()));
                }
            }
        } catch (UnknownHostException e) {
            return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                    "not probed: " + target.host() + " does not resolve"));
        }
        return probe.probe(watched);
    }

    @Override
    public Optional<ScheduledExecutorService> startsRunsOn() {
        return probe.startsRunsOn();
    }

    @Override
    public void close() {
        probe.close();
    }
}
