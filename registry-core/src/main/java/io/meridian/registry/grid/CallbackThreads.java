package io.meridian.registry.grid;

import com.hazelcast.internal.util.ConcurrencyUtil;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Where Hazelcast runs the callbacks of its futures in this JVM. Hazelcast runs them on
 * {@link ForkJoinPool#commonPool()} when that pool has two threads or more, and otherwise starts a new thread for every
 * callback. The common pool has one thread fewer than the machine has cores, so on a two-core machine every answered
 * map operation, CP call or executor task with a callback started a thread: about 700 a second under a register load
 * of 64 clients, which made a registration take 12 ms at one client instead of 5 (`load-tests/README.md`).
 *
 * <p>{@link #bound()} gives Hazelcast a pool of {@value #THREADS} daemon threads instead, as it has on a three-core
 * machine, and leaves a common pool of two threads or more in place. Hazelcast keeps one such executor per JVM; the
 * call is idempotent and thread-safe. Hazelcast 5.4 sets it only through an internal class, as here.
 */
public final class CallbackThreads {

    static final int THREADS = 2;
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS, pool -> {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName("meridian-callback-" + thread.getPoolIndex());
        return thread;
    }, null, false);

    private CallbackThreads() {
    }

    /** Runs Hazelcast's callbacks on a bounded pool from now on, unless the common pool already is one. */
    public static void bound() {
        if (ForkJoinPool.getCommonPoolParallelism() < THREADS) {
            ConcurrencyUtil.setDefaultAsyncExecutor(POOL);
        }
    }
}
