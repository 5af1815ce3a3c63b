package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceCatalog;
import io.meridian.registry.ServiceView;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The read side: AP maps derived from the committed shards, moved only forward, shaped so that a lookup is one
 * {@code get} of the service's header and one {@code getAll} of its slices. Thread-safe.
 */
final class Projection implements ProjectionWriter {

    private static final Comparator<InstanceEntry> BY_ID = Comparator.comparing(entry -> entry.instance().id());

    private final IMap<String, ServiceSlice> slices;
    private final IMap<String, ServiceHeader> headers;
    private final IMap<Integer, ShardDigest> digests;
    private final IMap<String, Long> namespaceIndexes;
    private final int slicesPerService;

    Projection(HazelcastInstance hazelcast, int slicesPerService) {
        this.slices = hazelcast.getMap(GridNames.SLICES_MAP);
        this.headers = hazelcast.getMap(GridNames.SERVICES_MAP);
        this.digests = hazelcast.getMap(GridNames.DIGESTS_MAP);
        this.namespaceIndexes = hazelcast.getMap(GridNames.NAMESPACES_MAP);
        this.slicesPerService = slicesPerService;
    }

    IMap<String, ServiceHeader> headers() {
        return headers;
    }

    IMap<String, Long> namespaceIndexes() {
        return namespaceIndexes;
    }

    @Override
    public void apply(int shardId, String serviceKey, ServicePart part) {
        int bucket = shardId % slicesPerService;
        BucketSummary summary = slices.executeOnKey(ServiceKeys.slice(serviceKey, bucket), new ApplyPart(shardId, part));
        // In this order: a watcher woken by the namespace's index reads the headers, so they must already show it.
        headers.executeOnKey(serviceKey, new ApplySummary(bucket, summary, part.index()));
        namespaceIndexes.executeOnKey(ServiceKeys.namespaceOf(serviceKey), new AdvanceIndex(part.index()));
        // Only anti-entropy reads the digest, so the write need not wait for it: a lost update is re-applied.
        digests.submitToKey(shardId, new RecordApplied(serviceKey, part.index()));
    }

    /** The service as the projection holds it; index 1 and no instances if it was never registered. */
    ServiceView service(String namespace, String service) {
        String key = ServiceKeys.service(namespace, service);
        ServiceHeader header = headers.get(key);
        if (header == null) {
            return new ServiceView(namespace, service, 1, List.of());
        }
        Set<String> sliceKeys = header.buckets().entrySet().stream()
                .filter(bucket -> bucket.getValue().instances() > 0)
                .map(bucket -> ServiceKeys.slice(key, bucket.getKey()))
                .collect(Collectors.toSet());
        List<InstanceEntry> instances = sliceKeys.isEmpty() ? List.of() : slices.getAll(sliceKeys).values().stream()
                .flatMap(ServiceSlice::instances)
                .sorted(BY_ID)
                .toList();
        return new ServiceView(namespace, service, header.index(), instances);
    }

    long serviceIndex(String namespace, String service) {
        ServiceHeader header = headers.get(ServiceKeys.service(namespace, service));
        return header == null ? 1 : header.index();
    }

    long namespaceIndex(String namespace) {
        Long index = namespaceIndexes.get(namespace);
        return index == null ? 1 : index;
    }

    ServiceCatalog catalog(String namespace) {
        long index = namespaceIndex(namespace);
        TreeMap<String, SortedSet<String>> tags = new TreeMap<>();
        for (Map.Entry<String, ServiceHeader> entry : headers.entrySet(new NamespacePredicate<>(namespace))) {
            if (entry.getValue().instanceCount() > 0) {
                tags.put(ServiceKeys.serviceOf(entry.getKey()), entry.getValue().tags());
            }
        }
        return new ServiceCatalog(index, tags);
    }

    List<InstanceEntry> instances(String namespace) {
        return slices.values(new NamespacePredicate<>(namespace)).stream()
                .flatMap(ServiceSlice::instances)
                .sorted(Comparator.comparing((InstanceEntry entry) -> entry.instance().service()).thenComparing(BY_ID))
                .toList();
    }

    /** The instances in the slices whose primary copy this member holds; a member-only, local read. */
    List<InstanceEntry> localInstances() {
        Set<String> local = slices.localKeySet();
        return local.isEmpty() ? List.of()
                : slices.getAll(local).values().stream().flatMap(ServiceSlice::instances).toList();
    }

    Map<Integer, ShardDigest> digests(Set<Integer> shardIds) {
        return digests.getAll(shardIds);
    }
}
