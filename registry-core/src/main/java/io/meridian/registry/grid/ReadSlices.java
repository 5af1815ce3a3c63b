package io.meridian.registry.grid;

import java.lang.ref.SoftReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slices this member read last, each with its version, so that reading a service again reads only the slices
 * whose summary in the service's header moved since: a change to one instance of a watched service then costs one
 * slice read, not one per slice of the service. A slice's version grows with every change to it and never goes back
 * ({@link ServiceSlice#version()}), so a slice held at the version and instance count a header's summary names is the
 * slice that summary describes. Holds at most {@code capacity} slices; past that it starts over, so no pattern of
 * reads grows it without bound. The slices are held softly: they can be a copy of every instance this member read,
 * so the collector may drop them when the heap runs short (a node refuses registrations then, and must see the room
 * deregistrations made, whose slices no one may read again), which only costs a read. Thread-safe: a racing
 * {@link #keep} may replace a slice with an older one, which only costs a read later.
 */
final class ReadSlices {

    private record Held(long version, int instances, SoftReference<ServiceSlice> slice) {
    }

    private final int capacity;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    ReadSlices(int capacity) {
        this.capacity = capacity;
    }

    /**
     * The slice last read under the key if the summary describes it and the collector has not dropped it; else
     * {@code null}, and it must be read.
     */
    ServiceSlice matching(String sliceKey, BucketSummary summary) {
        Held slice = held.get(sliceKey);
        return slice != null && slice.version() == summary.version() && slice.instances() == summary.instances()
                ? slice.slice().get() : null;
    }

    /** Keeps slices just read, under their keys. */
    void keep(Map<String, ServiceSlice> read) {
        if (held.size() + read.size() > capacity) {
            held.clear();
        }
        read.forEach((sliceKey, slice) -> held.put(sliceKey, new Held(slice.version(), slice.instanceCount(),
                new SoftReference<>(slice))));
    }
}
