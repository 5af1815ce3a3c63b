package io.meridian.registry.grid;

import io.meridian.registry.InstanceEntry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Which service an instance id is registered in, per namespace, without regard to case (as DNS names are): what
 * {@code <id>.node} lookups ask. A namespace's index is built from one scan of its instances, and built again on a
 * miss only if the namespace changed since and the last build is at least {@code rebuildEvery} old: a flood of ids
 * that do not exist costs at most one scan per namespace per period, and a namespace never written costs none. It
 * holds one entry per registered instance of the namespaces asked about. Thread-safe.
 */
final class InstanceIdIndex {

    private record Built(long namespaceIndex, long builtAtNanos, Map<String, String> serviceById) {
    }

    private final ToLongFunction<String> namespaceIndex;
    private final Function<String, List<InstanceEntry>> instances;
    private final LongSupplier nanoTime;
    private final Duration rebuildEvery;
    private final ConcurrentMap<String, Built> byNamespace = new ConcurrentHashMap<>();

    /**
     * @param namespaceIndex a namespace's index, 1 if it was never written; a cheap read
     * @param instances      every instance of a namespace; a scan
     */
    InstanceIdIndex(ToLongFunction<String> namespaceIndex, Function<String, List<InstanceEntry>> instances,
                    LongSupplier nanoTime, Duration rebuildEvery) {
        this.namespaceIndex = namespaceIndex;
        this.instances = instances;
        this.nanoTime = nanoTime;
        this.rebuildEvery = rebuildEvery;
    }

    /** The service the id is registered in, as of the last build; empty if it was not then. */
    Optional<String> serviceOf(String namespace, String instanceId) {
        String id = instanceId.toLowerCase(Locale.ROOT);
        Built built = byNamespace.get(namespace);
        if (built != null && built.serviceById().containsKey(id)) {
            return Optional.of(built.serviceById().get(id));
        }
        long index = namespaceIndex.applyAsLong(namespace);
        if (index <= 1) {
            return Optional.empty();
        }
        Built seen = built;
        if (seen == null || index > seen.namespaceIndex()
                && nanoTime.getAsLong() - seen.builtAtNanos() >= rebuildEvery.toNanos()) {
            built = byNamespace.compute(namespace, (key, held) -> held != seen ? held : build(key, index));
        }
        return Optional.ofNullable(built.serviceById().get(id));
    }

    private Built build(String namespace, long index) {
        Map<String, String> serviceById = new HashMap<>();
        for (InstanceEntry entry : instances.apply(namespace)) {
            serviceById.put(entry.instance().id().toLowerCase(Locale.ROOT), entry.instance().service());
        }
        return new Built(index, nanoTime.getAsLong(), serviceById);
    }
}
