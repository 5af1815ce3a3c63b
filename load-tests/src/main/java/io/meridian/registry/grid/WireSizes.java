package io.meridian.registry.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.meridian.http.wire.ChangeEventShapes;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.registry.ChangeEvent;
import io.meridian.registry.ChangeType;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.PositionedChange;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes one change of the seed's shape costs on each path, measured by serializing it as Meridian does: the Raft
 * entry's payload, the projection's slice and header that a near cache fetches again after an invalidation, the health
 * view a blocking-query watcher of a 20-instance service receives, and a change event as the stream keeps it and as
 * it sends it. The instance is the one
 * {@code seed-scale} registers: three tags, eight meta pairs. In this package only to reach the grid's records;
 * {@code docs/CAPACITY.md} multiplies the figures out.
 */
public final class WireSizes {

    private static final int INSTANCES_PER_SERVICE = 20;

    private WireSizes() {
    }

    public static void run() throws Exception {
        InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
                .setConfig(RegistrySerialization.configure(new SerializationConfig())).build();
        ConsulShapes shapes = new ConsulShapes("dc1");
        ObjectMapper json = new ObjectMapper();

        ServiceInstance instance = seedInstance(1);
        InstanceEntry entry = new InstanceEntry(instance, 1_700_000_000_000_001L, 1_700_000_000_000_001L);
        int raftPayload = serialization.toData(new RegisterInstance(instance, entry.modifyIndex())).totalSize();
        ServicePart part = new ServicePart(entry.modifyIndex(), Map.of(instance.id(), entry));
        int slice = serialization.toData(ServiceSlice.EMPTY.with(7, part)).totalSize();
        Map<Integer, BucketSummary> buckets = new HashMap<>();
        for (int bucket = 0; bucket < INSTANCES_PER_SERVICE; bucket++) {
            buckets.put(bucket, new BucketSummary(entry.modifyIndex(), 1, instance.tags()));
        }
        int header = serialization.toData(new ServiceHeader(entry.modifyIndex(), buckets)).totalSize();
        List<Map<String, Object>> view = new ArrayList<>();
        for (int i = 0; i < INSTANCES_PER_SERVICE; i++) {
            view.add(shapes.healthEntry(new InstanceEntry(seedInstance(i), entry.createIndex(), entry.modifyIndex())));
        }
        int healthView = json.writeValueAsBytes(view).length;
        ChangeEvent change = new ChangeEvent(entry.modifyIndex(), ChangeType.UPDATED, "default", "svc-1",
                instance.id(), entry);
        int kept = serialization.toData(change).totalSize();
        int event = json.writeValueAsBytes(new ChangeEventShapes(shapes).of(new PositionedChange(12_345, change)))
                .length;

        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("raft entry payload (RegisterInstance)", raftPayload);
        sizes.put("projection slice holding the instance", slice);
        sizes.put("service header, " + INSTANCES_PER_SERVICE + " slices", header);
        sizes.put("health view JSON, " + INSTANCES_PER_SERVICE + " instances", healthView);
        sizes.put("change event as the ring buffer keeps it", kept);
        sizes.put("change event JSON", event);
        sizes.forEach((what, bytes) -> System.out.printf("%-45s %,7d bytes%n", what, bytes));
        serialization.dispose();
    }

    private static ServiceInstance seedInstance(int id) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("version", "2.31.4-build.1187");
        meta.put("region", "eu-west-1");
        meta.put("zone", "eu-west-1b");
        meta.put("weight", "100");
        meta.put("canary", "false");
        meta.put("owner", "team-payments@example.com");
        meta.put("git-sha", "9f1c2e4b7a0d3c5e8f6a1b2c3d4e5f6a7b8c9d0e");
        meta.put("started-at", "2026-11-24T06:00:00Z");
        return new ServiceInstance("default", "svc-1", "inst-" + id, "10.0.0." + id, 8080,
                List.of("v2", "http", "eu-west-1b"), meta, Weights.DEFAULT, false, List.of(), "node-1");
    }
}
