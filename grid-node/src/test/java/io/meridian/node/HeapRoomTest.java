package io.meridian.node;

import io.meridian.registry.RegistryFullException;
import org.junit.jupiter.api.Test;

import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
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
    private final HeapRoom room = new HeapRoom("node-h", () -> oldGeneration, collectionsAsked::incrementAndGet,
            now::get);

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
    void whileRefusingACollectionIsAskedForAtMostEvery30Seconds() {
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

    private void leftByLastCollection(int percent) {
        oldGeneration.clear();
        oldGeneration.add(new MemoryUsage(0, percent * MIB, 100 * MIB, 100 * MIB));
    }
}
