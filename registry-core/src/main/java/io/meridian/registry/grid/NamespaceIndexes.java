package io.meridian.registry.grid;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Each namespace's index as this member (or client) knows it: the highest index of the namespace's service headers,
 * kept from the header change events every member hears, so that a write moves no entry of its own for its
 * namespace. The index a member shows never runs ahead of its own copies: a header event is taken once the member's
 * copy of that header shows it (a backup may land a moment after the event), or after {@link #COPY_WAIT} regardless.
 * {@link #reseed()} takes the indexes again from the headers themselves, for what reached the copies without an event
 * (a healed split's merge). Only moves forward. Thread-safe.
 */
final class NamespaceIndexes {

    /** The longest an event waits for this member's copy of its header before it is taken anyway. */
    static final Duration COPY_WAIT = Duration.ofMillis(200);
    private static final long RECHECK_MILLIS = 1;
    private static final Logger LOG = Logger.getLogger(NamespaceIndexes.class.getName());

    private final ConcurrentMap<String, Long> highest = new ConcurrentHashMap<>();
    private final Supplier<Map<String, Long>> headerIndexes;
    private final ToLongFunction<String> heldHeaderIndex;
    private final ScheduledExecutorService rechecks;
    private final BiConsumer<String, Long> advanced;
    private final LongSupplier nanoTime;

    /**
     * @param headerIndexes   every namespace's highest header index, read from the headers (a scan)
     * @param heldHeaderIndex the index of a service's header as this member's copy holds it (1 if it holds none)
     * @param rechecks        where an event waiting for the member's copy is looked at again
     * @param advanced        told each namespace whose index moved, with its new index
     * @param nanoTime        the time {@link #COPY_WAIT} is counted on, as {@link System#nanoTime()}
     */
    NamespaceIndexes(Supplier<Map<String, Long>> headerIndexes, ToLongFunction<String> heldHeaderIndex,
                     ScheduledExecutorService rechecks, BiConsumer<String, Long> advanced, LongSupplier nanoTime) {
        this.headerIndexes = headerIndexes;
        this.heldHeaderIndex = heldHeaderIndex;
        this.rechecks = rechecks;
        this.advanced = advanced;
        this.nanoTime = nanoTime;
    }

    /** The namespace's index; 1 if nothing was ever registered in it. */
    long of(String namespace) {
        return highest.getOrDefault(namespace, 1L);
    }

    /**
     * Takes every namespace's index from the headers; indexes only move forward. A scan that fails (the grid is
     * unreachable, or shutting down) changes nothing: the indexes go on moving with the events.
     */
    void reseed() {
        try {
            headerIndexes.get().forEach(this::advance);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the namespaces' indexes from the service headers", e);
        }
    }

    /** A service's header changed to {@code index}: the namespace moves there once this member's copy shows it. */
    void heard(String serviceKey, long index) {
        heard(serviceKey, index, nanoTime.getAsLong() + COPY_WAIT.toNanos());
    }

    private void heard(String serviceKey, long index, long waitUntil) {
        if (heldHeaderIndex.applyAsLong(serviceKey) >= index || nanoTime.getAsLong() >= waitUntil) {
            advance(ServiceKeys.namespaceOf(serviceKey), index);
            return;
        }
        rechecks.schedule(() -> heard(serviceKey, index, waitUntil), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void advance(String namespace, long index) {
        Long before = highest.get(namespace);
        while (before == null || before < index) {
            boolean moved = before == null ? highest.putIfAbsent(namespace, index) == null
                    : highest.replace(namespace, before, index);
            if (moved) {
                advanced.accept(namespace, index);
                return;
            }
            before = highest.get(namespace);
        }
    }
}
