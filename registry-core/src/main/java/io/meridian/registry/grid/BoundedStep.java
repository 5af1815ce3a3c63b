package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for an AP map step until a deadline: a write's steps after its commit must not wait on a partition owner that
 * is cut off and not yet declared gone. Every way the wait can fail is a {@link HazelcastException}.
 */
final class BoundedStep {

    private BoundedStep() {
    }

    /**
     * The step's value, once it is done.
     *
     * @param deadlineNanos when to stop waiting, on {@link System#nanoTime()}'s scale
     * @param what          what the step does, for the message of a failure
     * @throws HazelcastException if the step fails, or is not done by the deadline (it may still be done later)
     */
    static <R> R within(long deadlineNanos, CompletionStage<R> step, String what) {
        try {
            return step.toCompletableFuture().get(Math.max(0, deadlineNanos - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new HazelcastException(what + ": not done within its bound", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof HazelcastException cause ? cause : new HazelcastException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HazelcastException(what + ": interrupted", e);
        }
    }
}
