package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.cp.exception.CPGroupDestroyedException;
import io.meridian.registry.RegistryUnavailableException;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How CP operations are waited for: each call is bounded by the timeout, and every way it can fail becomes a
 * {@link RegistryUnavailableException}. When a call finds its CP group destroyed (after a reset), the owner forgets its
 * proxies ({@code onGroupDestroyed}) and {@link #onceMoreIfDestroyed} runs the call once more on fresh ones.
 */
final class CpWait {

    private final Duration timeout;
    private final Runnable onGroupDestroyed;

    CpWait(Duration timeout, Runnable onGroupDestroyed) {
        this.timeout = timeout;
        this.onGroupDestroyed = onGroupDestroyed;
    }

    /** The deadline of a call starting now. */
    long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    /** Waits for the stage until the deadline; {@code get} is what deserializes a Hazelcast future's value. */
    <T> T await(CompletionStage<T> stage, String what, long deadline) {
        try {
            return stage.toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException("no Raft majority answered within " + timeout.toMillis()
                    + " ms to " + what + ": the cluster has lost its CP majority or is electing a leader", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CPGroupDestroyedException) {
                onGroupDestroyed.run();
            }
            throw new RegistryUnavailableException("the CP Subsystem failed to " + what + ": " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while waiting to " + what, e);
        } catch (HazelcastException e) {
            throw new RegistryUnavailableException("the CP Subsystem failed to " + what + ": " + e, e);
        }
    }

    /** Runs the call; if it found the CP group destroyed (and so forgot the proxies), runs it once more. */
    static <T> T onceMoreIfDestroyed(Supplier<T> call) {
        try {
            return call.get();
        } catch (RegistryUnavailableException e) {
            if (!(e.getCause() instanceof CPGroupDestroyedException)) {
                throw e;
            }
            return call.get();
        }
    }
}
