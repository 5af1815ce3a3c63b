package io.meridian.registry.grid;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedAdvancesTest {

    /** The steps sent, in order, each completed by the test. */
    private final List<Sent> sent = new ArrayList<>();
    private final SharedAdvances advances = new SharedAdvances((key, index) -> {
        Sent step = new Sent(key, index, new CompletableFuture<>());
        sent.add(step);
        return step.done();
    });

    @Test
    void writesThatAskWhileAStepTravelsShareTheNextWithTheirHighestIndex() {
        CompletableFuture<Void> first = advances.advance("default", 10);
        CompletableFuture<Void> second = advances.advance("default", 30);
        CompletableFuture<Void> third = advances.advance("default", 20);
        assertEquals(List.of(new Step("default", 10)), steps(), "one step in flight per key");

        sent.get(0).done().complete(1L);
        assertTrue(first.isDone());
        assertFalse(second.isDone(), "the first step does not cover index 30");
        assertEquals(List.of(new Step("default", 10), new Step("default", 30)), steps());

        sent.get(1).done().complete(2L);
        assertTrue(second.isDone() && third.isDone());
        advances.advance("default", 40);
        assertEquals(new Step("default", 40), steps().get(2), "with nothing in flight, a step goes at once");
    }

    @Test
    void keysDoNotWaitForEachOther() {
        advances.advance("one", 1);
        advances.advance("two", 2);
        assertEquals(List.of(new Step("one", 1), new Step("two", 2)), steps());
    }

    @Test
    void aFailedStepFailsTheWritesItCoveredAndTheNextStillGoes() {
        CompletableFuture<Void> first = advances.advance("default", 1);
        CompletableFuture<Void> waiting = advances.advance("default", 2);
        sent.get(0).done().completeExceptionally(new IllegalStateException("owner gone"));

        assertThrows(CompletionException.class, first::join);
        assertFalse(waiting.isDone());
        sent.get(1).done().complete(2L);
        waiting.join();
    }

    private List<Step> steps() {
        return sent.stream().map(step -> new Step(step.key(), step.index())).toList();
    }

    private record Sent(String key, long index, CompletableFuture<Long> done) {
    }

    private record Step(String key, long index) {
    }
}
