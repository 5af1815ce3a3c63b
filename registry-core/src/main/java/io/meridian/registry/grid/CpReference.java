package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import com.hazelcast.cp.CPSubsystem;
import com.hazelcast.cp.IAtomicReference;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final CpWait waits;
    /** The proxy once looked up, or the look-up while it runs. */
    private volatile CompletableFuture<IAtomicReference<T>> proxy;

    public CpReference(CPSubsystem cp, String name, Duration timeout) {
        this.cp = cp;
        this.name = name;
        this.waits = new CpWait(timeout, this::forget);
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
        return CpWait.onceMoreIfDestroyed(() -> {
            long deadline = waits.deadline();
            IAtomicReference<T> reference = waits.await(lookUp(), "find " + name, deadline);
            return waits.await(operation.apply(reference), what, deadline);
        });
    }

    private CompletableFuture<IAtomicReference<T>> lookUp() {
        CompletableFuture<IAtomicReference<T>> held = proxy;
        if (held == null || held.isCompletedExceptionally()) {
            held = CompletableFuture.supplyAsync(() -> cp.getAtomicReference(name), LOOKUPS);
            proxy = held;
        }
        return held;
    }
}
