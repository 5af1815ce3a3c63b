package io.meridian.registry.grid;

import com.hazelcast.map.IMap;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Callbacks on Hazelcast's futures run on a bounded set of threads, however many operations answer: {@link TestCluster}
 * bounds them as a Meridian node does, with {@link CallbackThreads#bound()}.
 */
class CallbackThreadsTest {

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void callbacksOfAThousandMapOperationsRunOnAFewThreads() throws Exception {
        IMap<String, String> map = cluster.member(0).getMap("callbacks");
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> callbacks = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            callbacks.add(map.setAsync("key-" + i, "value").toCompletableFuture()
                    .thenRun(() -> ranOn.add(Thread.currentThread())));
        }
        CompletableFuture.allOf(callbacks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        int bound = Math.max(CallbackThreads.THREADS, ForkJoinPool.getCommonPoolParallelism()) + 1;
        assertTrue(ranOn.size() <= bound, "callbacks ran on " + ranOn.size() + " threads, more than " + bound
                + " (the pool's and the caller's)");
    }
}
