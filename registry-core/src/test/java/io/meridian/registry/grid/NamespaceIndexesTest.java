package io.meridian.registry.grid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NamespaceIndexesTest {

    /** The member's copies of the headers: service key to index. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final Map<String, Long> scanned = new ConcurrentHashMap<>();
    private final List<String> advances = new CopyOnWriteArrayList<>();
    private final AtomicLong nanoTime = new AtomicLong();
    /** How often the member's copy was looked at. */
    private final AtomicInteger copyReads = new AtomicInteger();
    private final ScheduledExecutorService rechecks = Executors.newSingleThreadScheduledExecutor();
    private final NamespaceIndexes indexes = new NamespaceIndexes(() -> scanned,
            serviceKey -> {
                copyReads.incrementAndGet();
                return held.getOrDefault(serviceKey, 1L);
            }, rechecks, (namespace, index) -> advances.add(namespace + "@" + index), nanoTime::get);

    @AfterEach
    void stop() {
        rechecks.shutdownNow();
    }

    @Test
    void aNamespaceNeverWrittenIsAtIndexOne() {
        assertEquals(1, indexes.of("nowhere"));
    }

    @Test
    void aHeaderChangeTheCopyShowsMovesItsNamespaceAtOnceAndOnlyForward() {
        held.put("prod/web", 50L);
        indexes.heard("prod/web", 50);
        indexes.heard("prod/web", 40);

        assertEquals(50, indexes.of("prod"));
        assertEquals(1, indexes.of("default"));
        assertEquals(List.of("prod@50"), advances);
    }

    @Test
    void aHeaderChangeWaitsUntilThisMembersCopyShowsIt() {
        held.put("prod/web", 10L);
        indexes.heard("prod/web", 60);
        await().atMost(Duration.ofSeconds(5)).until(() -> copyReads.get() >= 5);
        assertEquals(1, indexes.of("prod"), "a waiter woken now would read a copy without the change");

        held.put("prod/web", 60L);

        await().atMost(Duration.ofSeconds(5)).until(() -> indexes.of("prod") == 60);
        assertEquals(List.of("prod@60"), advances);
    }

    @Test
    void aCopyThatNeverShowsTheChangeHoldsItBackOnlySoLong() {
        indexes.heard("prod/web", 70);
        await().atMost(Duration.ofSeconds(5)).until(() -> copyReads.get() >= 5);
        assertEquals(1, indexes.of("prod"));

        nanoTime.addAndGet(NamespaceIndexes.COPY_WAIT.toNanos());

        await().atMost(Duration.ofSeconds(5)).until(() -> indexes.of("prod") == 70);
    }

    @Test
    void reseedingTakesWhatTheHeadersHoldWithoutGoingBack() {
        held.put("prod/web", 80L);
        indexes.heard("prod/web", 80);
        scanned.putAll(Map.of("prod", 75L, "staging", 30L));

        indexes.reseed();

        assertEquals(80, indexes.of("prod"));
        assertEquals(30, indexes.of("staging"));
        assertEquals(List.of("prod@80", "staging@30"), advances);
    }

    @Test
    void aScanThatFailsChangesNothing() {
        NamespaceIndexes failing = new NamespaceIndexes(() -> {
            throw new IllegalStateException("the grid is unreachable");
        }, serviceKey -> Long.MAX_VALUE, rechecks, (namespace, index) -> advances.add(namespace + "@" + index),
                nanoTime::get);
        failing.heard("prod/web", 90);

        failing.reseed();

        assertEquals(90, failing.of("prod"));
    }
}
