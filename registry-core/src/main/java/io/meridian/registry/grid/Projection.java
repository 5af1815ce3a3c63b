package io.meridian.registry.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryView;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceCatalog;
import io.meridian.registry.ServiceView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The read side: AP maps derived from the committed shards, moved only forward, shaped so that a lookup is one
 * {@code get} of the service's header and one {@code getAll} of its slices. On a member, reads come from the member's
 * own copies when it holds them ({@link NearestCopy}). Thread-safe.
 */
final class Projection implements ProjectionWriter {

    /**
     * The longest a write's projection step may take before it is left to {@link ProjectionRetries} (every second)
     * and anti-entropy: a healthy step takes milliseconds, and a write must not wait the 4-5 s a cut-off owner takes
     * to be declared gone. A write acknowledged past the bound is committed, but its own member's lookups may lag it
     * until a retry lands.
     */
    static final Duration STEP_BOUND = Duration.ofSeconds(2);
    private static final String PROJECT = "project a committed write";
    /** How many slices a member keeps as last read: 256 services of 128 slices each. */
    private static final int READ_SLICES_HELD = 32_768;
    private static final Comparator<InstanceEntry> BY_ID = Comparator.comparing(entry -> entry.instance().id());

    private final IMap<String, ServiceSlice> slices;
    private final IMap<String, ServiceHeader> headers;
    private final int slicesPerService;
    private final NearestCopy copies;
    private final HeaderIndexes headerIndexes;
    private final ReadSlices readSlices = new ReadSlices(READ_SLICES_HELD);

    Projection(HazelcastInstance hazelcast, int slicesPerService, NearestCopy copies) {
        this.copies = copies;
        this.slices = hazelcast.getMap(GridNames.SLICES_MAP);
        this.headers = hazelcast.getMap(GridNames.SERVICES_MAP);
        this.slicesPerService = slicesPerService;
        this.headerIndexes = new HeaderIndexes(hazelcast);
    }

    IMap<String, ServiceHeader> headers() {
        return headers;
    }

    /** The index of the header an added or updated header's event carries. */
    long headerIndexOf(EntryEvent<String, ServiceHeader> event) {
        return headerIndexes.ofEvent(event);
    }

    /**
     * Projects the part; gives up after {@link #STEP_BOUND} in all, or at the caller's deadline if that comes first,
     * as when an owner is cut off and not yet declared gone, leaving the rest to anti-entropy: a write never waits on
     * a member it cannot reach.
     *
     * @throws HazelcastException if a step fails or the bound passes
     */
    @Override
    public void apply(int shardId, String serviceKey, ServicePart part, long deadlineNanos) {
        long deadline = Math.min(deadlineNanos, System.nanoTime() + STEP_BOUND.toNanos());
        int bucket = shardId % slicesPerService;
        BucketSummary summary = BoundedStep.within(deadline,
                slices.submitToKey(ServiceKeys.slice(serviceKey, bucket), new ApplyPart(shardId, part)), PROJECT);
        // In this order: a reader woken by the header's change reads the slices, so they must already show it.
        BoundedStep.within(deadline,
                headers.submitToKey(serviceKey, new ApplySummary(bucket, summary, part.index())), PROJECT);
    }

    /**
     * The service as the projection holds it; index 1 and no instances if it was never registered. On a member that
     * holds a copy of every entry it needs, read from those copies, so it answers while the member is cut off.
     */
    ServiceView service(String namespace, String service) {
        return service(namespace, service, true);
    }

    /**
     * As {@link #service(String, String)}, at {@code atLeastIndex} or later if the projection has it: when this
     * member's copy or this client's near cache is behind (a change event can arrive before the copy it announces, or
     * before the invalidation of the near-cached header), the header is read from its owner.
     */
    ServiceView service(String namespace, String service, long atLeastIndex) {
        ServiceView view = service(namespace, service, true);
        return view.index() >= atLeastIndex ? view : service(namespace, service, false);
    }

    private ServiceView service(String namespace, String service, boolean fromLocalCopies) {
        String key = ServiceKeys.service(namespace, service);
        ServiceHeader header = fromLocalCopies ? copies.get(headers, key) : fromOwner(headers, key);
        if (header == null) {
            return new ServiceView(namespace, service, 1, List.of());
        }
        List<ServiceSlice> found = new ArrayList<>();
        Map<String, BucketSummary> unread = new HashMap<>();
        header.buckets().forEach((bucket, summary) -> {
            if (summary.instances() > 0) {
                String sliceKey = ServiceKeys.slice(key, bucket);
                ServiceSlice held = readSlices.matching(sliceKey, summary);
                if (held == null) {
                    unread.put(sliceKey, summary);
                } else {
                    found.add(held);
                }
            }
        });
        if (!unread.isEmpty()) {
            Map<String, ServiceSlice> read = fromLocalCopies ? copies.getAll(slices, unread.keySet())
                    : slices.getAll(unread.keySet());
            if (!copies.isLocal()) {
                read = new HashMap<>(read);
                read.putAll(fromOwners(olderThanSummarised(read, unread)));
            }
            readSlices.keep(read);
            found.addAll(read.values());
        }
        List<InstanceEntry> instances = found.stream()
                .flatMap(ServiceSlice::instances)
                .sorted(BY_ID)
                .toList();
        return new ServiceView(namespace, service, header.index(), instances);
    }

    /**
     * The keys of the slices read older than the header that named them says they are: on a client, a near cache
     * that has not yet heard the invalidation of a slice while it already read the header that followed it.
     */
    private static Set<String> olderThanSummarised(Map<String, ServiceSlice> read,
                                                   Map<String, BucketSummary> summaries) {
        Set<String> older = new HashSet<>();
        read.forEach((sliceKey, slice) -> {
            if (slice.version() < summaries.get(sliceKey).version()) {
                older.add(sliceKey);
            }
        });
        return older;
    }

    /** The slices as their owners hold them, past any near cache; slices that no longer exist are left out. */
    private Map<String, ServiceSlice> fromOwners(Set<String> sliceKeys) {
        Map<String, ServiceSlice> read = new HashMap<>();
        for (String sliceKey : sliceKeys) {
            ServiceSlice slice = fromOwner(slices, sliceKey);
            if (slice != null) {
                read.put(sliceKey, slice);
            }
        }
        return read;
    }

    /** The entry as its owner holds it, past any near cache ({@code getEntryView} is never answered by one). */
    private static <V> V fromOwner(IMap<String, V> map, String key) {
        EntryView<String, V> entry = map.getEntryView(key);
        return entry == null ? null : entry.getValue();
    }

    /**
     * The index of the service's header as its owner holds it now, past any near cache (a client's may not have heard
     * of the latest change yet); 1 if the service has none.
     */
    long ownersHeaderIndex(String serviceKey) {
        ServiceHeader header = fromOwner(headers, serviceKey);
        return header == null ? 1 : header.index();
    }

    long serviceIndex(String namespace, String service) {
        return heldHeaderIndex(ServiceKeys.service(namespace, service));
    }

    /** The index of the service's header as this member's own copy holds it; on a client, from its owner. */
    long heldHeaderIndex(String serviceKey) {
        Long index = copies.read(headers, serviceKey, headerIndexes::ofBytes, ServiceHeader::index);
        return index == null ? 1 : index;
    }

    /** Every namespace's highest header index: the namespace's index as the headers give it. A scan. */
    Map<String, Long> namespaceIndexes() {
        Map<String, Long> indexes = new HashMap<>();
        copies.scan(headers, (serviceKey, header) -> indexes.merge(ServiceKeys.namespaceOf(serviceKey),
                header.index(), Math::max));
        return indexes;
    }

    /** The namespace's services and their tags, with the highest index among its headers: the catalog as read. */
    ServiceCatalog catalog(String namespace) {
        long[] index = {1};
        TreeMap<String, SortedSet<String>> tags = new TreeMap<>();
        copies.scan(headers, namespace, (serviceKey, header) -> {
            index[0] = Math.max(index[0], header.index());
            if (header.instanceCount() > 0) {
                tags.put(ServiceKeys.serviceOf(serviceKey), header.tags());
            }
        });
        return new ServiceCatalog(index[0], tags);
    }

    List<InstanceEntry> instances(String namespace) {
        List<ServiceSlice> found = new ArrayList<>();
        copies.scan(slices, namespace, (sliceKey, slice) -> found.add(slice));
        return found.stream()
                .flatMap(ServiceSlice::instances)
                .sorted(Comparator.comparing((InstanceEntry entry) -> entry.instance().service()).thenComparing(BY_ID))
                .toList();
    }

    /** Every namespace anything was ever registered in. */
    Set<String> namespaces() {
        return namespaceIndexes().keySet();
    }

    /** Every slice's state, read on its owner: what anti-entropy compares with the committed shards. */
    Map<String, SliceState> sliceStates() {
        return slices.executeOnEntries(new ReadSliceState());
    }

    /** Every service header's slice summaries, read on its owner. */
    Map<String, HashMap<Integer, BucketSummary>> headerBuckets() {
        return headers.executeOnEntries(new ReadBuckets());
    }

    int slicesPerService() {
        return slicesPerService;
    }
}
