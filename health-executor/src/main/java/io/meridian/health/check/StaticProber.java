package io.meridian.health.check;

import io.meridian.registry.Check;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Checks whose status is set by an operator (maintenance, draining): the check says what it is. They are looked at
 * every second only so that a {@code DeregisterCriticalServiceAfter} (a drain's period) ends on time.
 */
final class StaticProber implements Prober {

    private static final Duration EVERY = Duration.ofSeconds(1);

    @Override
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        return CompletableFuture.completedFuture(new CheckResult(watched.check().status(), watched.check().notes()));
    }

    @Override
    public Duration every(Check check) {
        return EVERY;
    }

    @Override
    public boolean seenDifferentlyElsewhere() {
        return false;
    }
}
