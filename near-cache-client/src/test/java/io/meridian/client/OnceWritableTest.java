package io.meridian.client;

import com.hazelcast.core.HazelcastException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wait for a cluster that takes writes, on a real scheduled thread asking every 20 ms. */
class OnceWritableTest {

    private static final Duration EVERY = Duration.ofMillis(20);

    private final ScheduledExecutorService asker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean open = new AtomicBoolean();
    private final AtomicInteger questions = new AtomicInteger();
    private final OnceWritable resync = new OnceWritable(asker, () -> {
        questions.incrementAndGet();
        return open.get();
    }, EVERY);

    @AfterEach
    void stop() {
        asker.shutdownNow();
    }

    @Test
    void theStepRunsOnceWhenTheClusterTakesWritesAndTheQuestionsStop() {
        AtomicInteger runs = new AtomicInteger();
        asker.execute(() -> resync.start(runs::incrementAndGet, "step"));
        await().atMost(Duration.ofSeconds(5)).until(() -> questions.get() >= 5);
        assertEquals(0, runs.get(), "not while the cluster restores");
        open.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
        int asked = questions.get();
        assertStaysTrue("one run, and no question once the step has run",
                () -> runs.get() == 1 && questions.get() == asked);
    }

    @Test
    void aStepThatFailsForWantOfTheClusterIsTriedAgain() {
        open.set(true);
        AtomicInteger tries = new AtomicInteger();
        asker.execute(() -> resync.start(() -> {
            if (tries.incrementAndGet() < 3) {
                throw new HazelcastException("the member left");
            }
        }, "step"));
        await().atMost(Duration.ofSeconds(5)).until(() -> tries.get() == 3);
    }

    @Test
    void aNewStartSupersedesTheChainUnderWay() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        asker.execute(() -> resync.start(first::incrementAndGet, "first"));
        await().atMost(Duration.ofSeconds(5)).until(() -> questions.get() >= 3);
        asker.execute(() -> resync.start(second::incrementAndGet, "second"));
        int before = questions.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> questions.get() >= before + 5);
        open.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.get() == 1);
        int asked = questions.get();
        assertStaysTrue("the superseded chain never ran its step; one chain of questions, and none once done",
                () -> first.get() == 0 && second.get() == 1 && questions.get() == asked);
    }

    /** Fails unless the condition holds throughout ten periods of the asker. */
    private static void assertStaysTrue(String what, Callable<Boolean> condition) {
        await(what).during(EVERY.multipliedBy(10)).atMost(EVERY.multipliedBy(10).plusSeconds(5)).until(condition);
    }
}
