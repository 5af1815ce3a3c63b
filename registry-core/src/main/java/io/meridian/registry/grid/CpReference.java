package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.IFunction;
import com.hazelcast.cp.CPSubsystem;
import com.hazelcast.cp.IAtomicReference;
import com.hazelcast.cp.exception.CPGroupDestroyedException;
import io.meridian.registry.RegistryUnavailableException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One CP {@code IAtomicReference}, every operation bounded by a timeout. Looking the proxy up waits for the CP
 * Metadata group, without bound while that has no leader, so it runs on a thread of its own and the caller waits only
 * until its deadline. After the CP Subsystem was reset the proxy points at a group that no longer exists: the call
 * that finds so looks the proxy up again and tries once more. Thread-safe.
 *
 * @param <T> the value held; null before the first write
 */
public final class CpReference<T> {

    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "meridian-cp-lookup");
        thread.setDaemon(true);
        return thread;
    });

    private final CPSubsystem cp;
    private final String name;
    private final Duration timeout;
    /** The proxy once looked up, or the look-up while it runs. */
    private volatile CompletableFuture<IAtomicReference<T>> proxy;

    public CpReference(CPSubsystem cp, String name, Duration timeout) {
        this.cp = cp;
        this.name = name;
        this.timeout = timeout;
    }

    /** A linearizable read. */
    public T get() {
        return call("read " + name, IAtomicReference::getAsync);
    }

    /** Commits the function and returns the new value. */
    public T alterAndGet(IFunction<T, T> change) {
        return call("change " + name, reference -> reference.alterAndGetAsync(change));
    }

    /** Commits the function and returns the value it was applied to. */
    public T getAndAlter(IFunction<T, T> change) {
        return call("change " + name, reference -> reference.getAndAlterAsync(change));
    }

    /** Sets the value if it is the expected one; true if it was. */
    public boolean compareAndSet(T expected, T update) {
        return call("set " + name, reference -> reference.compareAndSetAsync(expected, update));
    }

    /** Forgets the proxy: the next call looks it up again, as after a client reconnected to a restarted cluster. */
    public void forget() {
        proxy = null;
    }

    private <R> R call(String what, Function<IAtomicReference<T>, CompletionStage<R>> operation) {
        try {
            return callOnce(what, operation);
        } catch (RegistryUnavailableException e) {
            if (!(e.getCause() instanceof CPGroupDestroyedException)) {
                throw e;
            }
            return callOnce(what, operation);
        }
    }

    private <R> R callOnce(String what, Function<IAtomicReference<T>, CompletionStage<R>> operation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            IAtomicReference<T> reference = lookUp().get(remaining(deadline), TimeUnit.NANOSECONDS);
            return operation.apply(reference).toCompletableFuture().get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException("no Raft majority answered within " + timeout.toMillis()
                    + " ms to " + what + ": the cluster has lost its CP majority or is electing a leader", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CPGroupDestroyedException) {
                proxy = null;
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

    private CompletableFuture<IAtomicReference<T>> lookUp() {
        CompletableFuture<IAtomicReference<T>> held = proxy;
        if (held == null || held.isCompletedExceptionally()) {
            held = CompletableFuture.supplyAsync(() -> cp.getAtomicReference(name), LOOKUPS);
            proxy = held;
        }
        return held;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
