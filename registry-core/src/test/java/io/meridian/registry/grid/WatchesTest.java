package io.meridian.registry.grid;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared waiters as a read cache (one read per change, and a bound on staleness) and as what blocking queries wait
 * on (each caller's wait ends when it gives up, and nothing a request made outlives it by more than the idle bound).
 */
class WatchesTest {

    private final Map<String, Long> values = new ConcurrentHashMap<>(Map.of("svc", 5L));
    private final AtomicInteger reads = new AtomicInteger();
    private Instant now = Instant.parse("2026-11-24T10:00:00Z");
    private final List<Long> askedAtLeast = new CopyOnWriteArrayList<>();
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    /** What the followers were told, in order: {@code +key} for a new waiter, {@code -key} for a dropped one. */
    private final List<String> followed = new CopyOnWriteArrayList<>();
    private final List<Object> followers = new CopyOnWriteArrayList<>();
    private final Watches<Long> watches = new Watches<>((key, atLeast) -> {
        reads.incrementAndGet();
        askedAtLeast.add(atLeast);
        return values.getOrDefault(key, 1L);
    }, Long::longValue, index -> index > 1, Runnable::run, clock, Duration.ofMinutes(1), new Watches.Followers() {
        @Override
        public void follow(String key, Object waiter) {
            followed.add("+" + key);
            followers.add(waiter);
        }

        @Override
        public void unfollow(String key, Object waiter) {
            followed.add("-" + key);
            followers.add(waiter);
        }
    });

    @Test
    void repeatedReadsAreAnsweredFromTheWaiterUntilAChangeEvent() {
        for (int i = 0; i < 100; i++) {
            assertEquals(5L, watches.current("svc", Duration.ofSeconds(1)));
        }
        assertEquals(1, reads.get(), "one read for 100 lookups");

        values.put("svc", 6L);
        watches.changed("svc", 6);
        assertEquals(6L, watches.current("svc", Duration.ofSeconds(1)));
        assertEquals(2, reads.get());
        assertEquals(List.of(0L, 6L), askedAtLeast, "a change event asks for at least the index it announced");
    }

    @Test
    void aBlockingQueryBelowTheIndexAfterThisMembersWriteAnswersTheWrite() {
        assertEquals(5L, watches.await("svc", 1).join());
        values.put("svc", 7L);
        watches.wrote("svc", 7);
        assertEquals(7L, watches.await("svc", 1).join(), "not the value held from before the write");
    }

    @Test
    void aLostChangeEventIsMadeUpForOnceTheValueIsOlderThanTheBound() {
        assertEquals(5L, watches.current("svc", Duration.ofSeconds(1)));
        values.put("svc", 7L);
        assertEquals(5L, watches.current("svc", Duration.ofSeconds(1)), "no event: still the value read before");
        now = now.plusMillis(1_001);
        assertEquals(7L, watches.current("svc", Duration.ofSeconds(1)));
    }

    @Test
    void anAnswerNeverGoesBelowTheNewestValueReadOrOfferedOnThisMember() {
        assertEquals(9L, watches.newest("svc", 9L, now), "a newer read is answered and kept");
        assertEquals(9L, watches.newest("svc", 5L, now), "a lagging read is answered with the newer value");
        assertEquals(9L, watches.current("svc", Duration.ofSeconds(1)));
        assertEquals(1L, watches.newest("never", 1L, now));
        assertEquals(1, watches.size(), "a key that does not exist gets no waiter");
    }

    /** A service's view as a member's copy shows it: the index its header announces, and the instances it lists. */
    private record View(long index, String instances) {
    }

    @Test
    void aCopyThatCatchesUpWithoutANewIndexIsAnsweredOnceTheHeldValueIsOlderThanTheBound() {
        Map<String, View> copies = new ConcurrentHashMap<>(Map.of("svc", new View(5, "a")));
        Watches<View> views = new Watches<>((key, atLeast) -> copies.get(key), View::index, view -> view.index() > 1,
                Runnable::run, clock, Duration.ofMinutes(1), Watches.Followers.NONE);
        assertEquals(new View(5, "a"), views.current("svc", Duration.ofSeconds(1)));
        CompletableFuture<View> watcher = views.await("svc", 5);

        // This member's copy of a slice lagged its header, and Hazelcast's replica sync has since repaired it: the
        // index stays, the instances change, and no change event comes.
        copies.put("svc", new View(5, "a,b"));
        now = now.plusMillis(1_001);
        assertEquals(new View(5, "a,b"), views.current("svc", Duration.ofSeconds(1)),
                "not the lagging value until the service's next change");
        assertFalse(watcher.isDone(), "a blocking query waits for a newer index, not for a repaired copy");
        assertEquals(new View(5, "a,b"), views.newest("svc", new View(5, "a"), now.minusSeconds(2)),
                "a value read before the repaired one does not replace it");
    }

    @Test
    void aWriteOfThisMemberIsSeenByTheNextReadWithoutWaitingForItsChangeEvent() {
        assertEquals(5L, watches.current("svc", Duration.ofSeconds(1)));
        values.put("svc", 6L);
        watches.wrote("svc", 6);
        assertEquals(6L, watches.current("svc", Duration.ofSeconds(1)));
        assertEquals(6L, watches.current("svc", Duration.ofSeconds(1)));
        assertEquals(2, reads.get(), "read once for the write, then held again");
    }

    @Test
    void aKeyAnnouncedPastItsCopyIsReadEachTimeUntilTheCopyHasIt() {
        assertEquals(5L, watches.current("svc", Duration.ofSeconds(1)));
        watches.wrote("svc", 7);
        assertEquals(5L, watches.current("svc", Duration.ofSeconds(1)), "the copy lags: its value, read again");
        assertEquals(5L, watches.current("svc", Duration.ofSeconds(1)));
        assertEquals(3, reads.get());
        values.put("svc", 7L);
        assertEquals(7L, watches.current("svc", Duration.ofSeconds(1)));
        watches.current("svc", Duration.ofSeconds(1));
        assertEquals(4, reads.get(), "held again once it holds the announced index");
        assertEquals(List.of(0L, 0L, 0L, 0L), askedAtLeast, "a read on the request path asks only its own copy");
    }

    @Test
    void aKeyThatDoesNotExistIsReadButGetsNoWaiter() {
        for (int i = 0; i < 1_000; i++) {
            watches.current("random-" + i, Duration.ofSeconds(1));
        }
        assertEquals(0, watches.size());
        assertEquals(List.of(), followed, "no waiter, nothing to hear");
    }

    @Test
    void aCallerThatGivesUpLeavesNothingBehindAndAnIdleWaiterIsEvicted() {
        List<CompletableFuture<Long>> callers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            callers.add(watches.await("svc", 5));
        }
        callers.subList(0, 99).forEach(caller -> caller.complete(null));
        now = now.plus(Duration.ofMinutes(2));
        watches.evictIdle();
        assertEquals(1, watches.size(), "a waiter with a caller still waiting stays");

        values.put("svc", 6L);
        watches.changed("svc", 6);
        assertEquals(6L, callers.get(99).join(), "the caller still waiting is woken by the change");
        assertTrue(callers.subList(0, 99).stream().allMatch(caller -> caller.join() == null));

        watches.evictIdle();
        assertEquals(0, watches.size(), "no caller waits, and none asked for a minute");
        assertEquals(List.of("+svc", "-svc"), followed, "followed once, while it had a waiter");
        assertTrue(followers.get(0) == followers.get(1), "the drop names the waiter that was followed");
    }

    @Test
    void aKeyWaitedOnAgainIsFollowedByItsNewWaiter() {
        watches.current("svc", Duration.ofSeconds(1));
        watches.current("svc", Duration.ofSeconds(1));
        now = now.plus(Duration.ofMinutes(2));
        watches.evictIdle();
        watches.await("svc", 5);

        assertEquals(List.of("+svc", "-svc", "+svc"), followed);
        assertFalse(followers.get(1) == followers.get(2), "a new waiter, so a late drop of the old one can be told"
                + " apart from it");
    }

    @Test
    void aKeyNotYetCreatedIsWaitedOnForItsCreation() {
        CompletableFuture<Long> creation = watches.await("new-svc", 1);
        assertEquals(1, watches.size());
        values.put("new-svc", 2L);
        watches.changed("new-svc", 2);
        assertEquals(2L, creation.join());
    }

    @Test
    void aWaitThatMustNotBlockStartsOnTheHeldValueAndNeverReads() {
        assertNull(watches.awaitHeld("svc", 5), "no waiter yet: it would read");
        assertEquals(5L, watches.current("svc", Duration.ofSeconds(1)));
        int readsBefore = reads.get();

        now = now.plusSeconds(60);
        CompletableFuture<Long> parked = watches.awaitHeld("svc", 5);
        assertFalse(parked.isDone(), "at the held index it waits, however long ago the value was read");
        assertEquals(5L, watches.awaitHeld("svc", 4).join(), "below it: answered at once");
        values.put("svc", 6L);
        watches.changed("svc", 6);
        assertEquals(6L, parked.join(), "woken by the change like any waiter");

        values.put("svc", 7L);
        watches.wrote("svc", 7);
        assertNull(watches.awaitHeld("svc", 6), "behind this member's own write: it would read");
        assertEquals(readsBefore + 1, reads.get(), "only the change event read");
    }
}
