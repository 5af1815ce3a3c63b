package io.meridian.node;

import io.meridian.registry.RegistryFullException;
import org.junit.jupiter.api.Test;

import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a node refuses registrations for lack of heap, on a heap of 100 MiB and a manual clock. */
class HeapRoomTest {

    private static final long MIB = 1 << 20;

    private final List<MemoryUsage> oldGeneration = new ArrayList<>();
    private final AtomicInteger collectionsAsked = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Optional<String>> reports = new ArrayList<>();
    private final HeapRoom room = new HeapRoom("node-h", () -> oldGeneration, collectionsAsked::incrementAndGet,
            now::get, reports::add);

    @Test
    void registrationsAreTakenBelowTheBoundAndRefusedFromIt() {
        leftByLastCollection(84);
        assertDoesNotThrow(room::requireRoom);

        leftByLastCollection(85);
        RegistryFullException refused = assertThrows(RegistryFullException.class, room::requireRoom);
        assertTrue(refused.getMessage().contains("85% of the old generation's 100 MiB"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Nothing was written"), refused.getMessage());

        leftByLastCollection(60);
        assertDoesNotThrow(room::requireRoom, "deregistrations made room, and a collection saw it");
    }

    @Test
    void whileRefusingACollectionIsAskedForAtMostOncePerPeriod() {
        leftByLastCollection(90);

        assertThrows(RegistryFullException.class, room::requireRoom);
        assertThrows(RegistryFullException.class, room::requireRoom);
        assertEquals(1, collectionsAsked.get(), "one at once, not one per refusal");
        now.addAndGet(HeapRoom.COLLECTION_EVERY.toNanos() - 1);
        assertThrows(RegistryFullException.class, room::requireRoom);
        assertEquals(1, collectionsAsked.get());
        now.addAndGet(1);
        assertThrows(RegistryFullException.class, room::requireRoom);
        assertEquals(2, collectionsAsked.get());
    }

    @Test
    void aPoolNeverCollectedOrWithoutABoundIsNoReasonToRefuse() {
        oldGeneration.add(null);
        oldGeneration.add(new MemoryUsage(0, 90 * MIB, 100 * MIB, -1));

        assertDoesNotThrow(room::requireRoom);
        assertEquals(0, collectionsAsked.get());
    }

    @Test
    void aLookTellsTheClusterOfEachChangeOnlyAndAsksForCollectionsWhileFull() {
        leftByLastCollection(60);
        room.look();
        room.look();
        assertEquals(List.of(Optional.empty()), reports, "room, told once");

        leftByLastCollection(90);
        room.look();
        room.look();
        assertEquals(2, reports.size(), "full, told once: " + reports);
        assertTrue(reports.get(1).orElseThrow().contains("90% of the old generation's 100 MiB"), reports.toString());
        assertEquals(1, collectionsAsked.get(), "a node that takes no registrations itself still sees room made");

        leftByLastCollection(50);
        room.look();
        assertEquals(Optional.empty(), reports.get(2));
    }

    @Test
    void aReportTheClusterCouldNotTakeIsMadeAgainAtTheNextLook() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        HeapRoom failingOnce = new HeapRoom("node-f", () -> oldGeneration, () -> { }, now::get, full -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("no grid");
            }
            reports.add(full);
        });
        leftByLastCollection(95);

        failingOnce.look();
        assertEquals(List.of(), reports);
        failingOnce.look();
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).isPresent());
    }

    private void leftByLastCollection(int percent) {
        oldGeneration.clear();
        oldGeneration.add(new MemoryUsage(0, percent * MIB, 100 * MIB, 100 * MIB));
    }
}
