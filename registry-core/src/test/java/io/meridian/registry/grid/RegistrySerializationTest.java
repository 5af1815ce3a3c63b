package io.meridian.registry.grid;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import io.meridian.registry.ChangeEvent;
import io.meridian.registry.ChangeType;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.NamedPort;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's serializers: what members send each other reads back equal, a header's index is read from its bytes
 * and events as decoding gives it, and Java deserialization is filtered: a value of a class outside Meridian,
 * Hazelcast and the JDK is refused where it would be deserialized, while Meridian's own serializable values pass.
 */
class RegistrySerializationTest {

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** {@link #registration}'s {@code RegisterInstance}, as the version before named ports wrote it. */
    private static final String EARLIER_REGISTRATION =
            "0000000000001c8b0000000764656661756c7400000003776562000000057765622d310000000831302e302e302e3100"
            + "001f900000000100000002763100000001000000047a6f6e650000000161000000030000000100000000010000000d73"
            + "6572766963653a7765622d3100000005616c697665030000000000000003474554000000000000000000ffffffffffff"
            + "ffffffffffffffffffff00000006fc23ac00ffffffffffffffff0000000000000000000000000000000000000000066e"
            + "6f64652d31000000000000002a";

    private static ServiceInstance registration() {
        return new ServiceInstance("default", "web", "web-1", "10.0.0.1", 8080, List.of("v1"),
                Map.of("zone", "a"), new Weights(3, 1), false,
                List.of(new Check("service:web-1", "alive", CheckKind.TTL, "", null, null, null,
                        Duration.ofSeconds(30), null, null, HealthStatus.PASSING, "")), "node-1");
    }

    /** A Meridian class that Hazelcast serializes with Java serialization. */
    record Allowed(String name, List<Integer> numbers) implements Serializable {
    }

    @Test
    void whatEveryWriteSendsIsWrittenWithMeridiansSerializersAndReadsBackEqual() {
        ServiceInstance instance = registration();
        ServicePart part = new ServicePart(42, Map.of("web-1", new InstanceEntry(instance, 40, 42)));
        ApplyPart applyPart = readBack(new ApplyPart(7, part));
        assertEquals(List.of(7, part), List.of(applyPart.shardId(), applyPart.part()));
        BucketSummary summary = new BucketSummary(42, 1, List.of("v1"));
        ApplySummary applySummary = readBack(new ApplySummary(3, summary, 42));
        assertEquals(List.of(3, summary, 42L),
                List.of(applySummary.bucket(), applySummary.summary(), applySummary.changeIndex()));
        SerializationService serialization =
                ((SerializationServiceSupport) cluster.member(0)).getSerializationService();
        assertWrittenByMeridianAndReadBackEqual(new MadeOnOwner.PutMade<>(serialization.toData(ServiceSlice.EMPTY
                        .with(7, part))), new AdvanceIndex(42),
                new RegisterInstance(instance, 42), new DeregisterInstance("default", "web-1", 43),
                new ChangeEvent(42, ChangeType.UPDATED, "default", "web", "web-1", new InstanceEntry(instance, 40, 42)),
                new ChangeEvent(43, ChangeType.DEREGISTERED, "default", "web", "web-1", null));
    }

    @Test
    void whatAntiEntropyReadsIsWrittenWithMeridiansSerializersAndReadsBackEqual() {
        assertWrittenByMeridianAndReadBackEqual(
                new SliceState(Map.of(7, 42L, 263, 40L), new BucketSummary(82, 2, List.of("v1", "v2"))),
                new SliceState(Map.of(), new BucketSummary(0, 0, List.of())),
                new BucketSummary(42, 1, List.of("v1")),
                new ReadDigest(),
                new ShardDigest(new HashMap<>(Map.of("default/web", 42L, "default/api", 40L)),
                        new HashMap<>(Map.of("default/service:web-1", "default/web/web-1"))),
                new ShardDigest(new HashMap<>(), new HashMap<>()));
    }

    @Test
    void consistentReadsAndCheckStatusChangesAreWrittenWithMeridiansSerializersAndReadBackEqual() {
        assertWrittenByMeridianAndReadBackEqual(new PartOf("default/web"),
                new ServicePart(42, Map.of("web-1", new InstanceEntry(registration(), 40, 42))),
                new SetCheckStatus("default", "web-1", "service:web-1", HealthStatus.WARNING, 43));
    }

    private void assertWrittenByMeridianAndReadBackEqual(Object... sent) {
        for (Object value : sent) {
            assertEquals(value, readBack(value));
        }
    }

    /** The value written and read back, after checking that Meridian's serializer wrote it, not Java's. */
    private <T> T readBack(T value) {
        SerializationService serialization =
                ((SerializationServiceSupport) cluster.member(0)).getSerializationService();
        Data data = serialization.toData(value);
        assertTrue(data.getType() > 0, value.getClass().getSimpleName() + " is not Java-serialized: type "
                + data.getType());
        return serialization.toObject(data);
    }

    @Test
    void anInstanceWithoutNamedPortsKeepsTheEarlierFormatAndOneWithThemReadsBackEqual() {
        SerializationService serialization =
                ((SerializationServiceSupport) cluster.member(0)).getSerializationService();
        ServiceInstance instance = registration();
        byte[] earlier = HexFormat.of().parseHex(EARLIER_REGISTRATION);
        assertEquals(EARLIER_REGISTRATION, HexFormat.of().formatHex(serialization.toData(
                new RegisterInstance(instance, 42)).toByteArray()), "a member of the earlier version reads it");
        assertEquals(new RegisterInstance(instance, 42), serialization.toObject(new HeapData(earlier)));

        ServiceInstance named = ServiceInstance.builder("web", "web-2").port(8080).meta(Map.of("zone", "a"))
                .ports(List.of(new NamedPort("http", 8080, true), new NamedPort("grpc", 9090, false))).build();
        RegisterInstance sent = new RegisterInstance(named, 43);
        assertEquals(sent, serialization.toObject(serialization.toData(sent)));
    }

    @Test
    void aClassFromALibraryIsNotDeserializedButMeridiansAreAndTheJdksAre() {
        IMap<String, Object> written = cluster.member(0).getMap("serialization-filter");
        IMap<String, Object> read = cluster.member(1).getMap("serialization-filter");
        for (int i = 0; i < 20; i++) {
            written.put("library-" + i, new AssertionFailedError("a Serializable class of a library"));
            written.put("meridian-" + i, new Allowed("a", List.of(1, 2)));
        }
        for (int i = 0; i < 20; i++) {
            int key = i;
            RuntimeException refused = assertThrows(RuntimeException.class, () -> read.get("library-" + key));
            assertTrue(String.valueOf(refused.getMessage()).contains("org.opentest4j.AssertionFailedError"),
                    refused.toString());
            assertEquals(new Allowed("a", List.of(1, 2)), read.get("meridian-" + i));
        }
    }

    private static ServiceHeader header(long index, int buckets) {
        Map<Integer, BucketSummary> summaries = new HashMap<>();
        for (int bucket = 0; bucket < buckets; bucket++) {
            summaries.put(bucket * 7, new BucketSummary(index + bucket, bucket + 1, List.of("v" + bucket, "zone-a")));
        }
        return new ServiceHeader(index, summaries);
    }

    @Test
    void theIndexReadFromAHeadersBytesIsItsIndex() {
        HazelcastInstance member = cluster.member(0);
        SerializationService serialization = ((SerializationServiceSupport) member).getSerializationService();
        HeaderIndexes indexes = new HeaderIndexes(member);
        for (ServiceHeader header : List.of(header(1, 0), header(1_764_000_000_000_001L, 1), header(-5, 256))) {
            assertEquals(header.index(), indexes.ofBytes(serialization.toData(header)));
        }
        assertThrows(IllegalArgumentException.class,
                () -> indexes.ofBytes(serialization.toData(new BucketSummary(9, 1, List.of()))));
    }

    @Test
    void theIndexReadFromAnEventIsTheChangedHeadersOnMembersAndClients() {
        ClientConfig config = cluster.clientConfig();
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        try {
            String map = "header-events-" + System.nanoTime();
            ConcurrentMap<String, Long> heardOnMember = listen(cluster.member(1), map);
            ConcurrentMap<String, Long> heardOnClient = listen(client, map);
            IMap<String, ServiceHeader> headers = cluster.member(0).getMap(map);
            headers.put("default/web", header(41, 3));
            headers.put("default/web", header(42, 200));
            headers.put("default/db", header(7, 1));
            Map<String, Long> expected = Map.of("default/web", 42L, "default/db", 7L);
            await().atMost(Duration.ofSeconds(10)).until(() -> heardOnMember.equals(expected)
                    && heardOnClient.equals(expected));
        } finally {
            client.shutdown();
        }
    }

    /** The highest index the instance's events said each key's header has. */
    private static ConcurrentMap<String, Long> listen(HazelcastInstance instance, String map) {
        HeaderIndexes indexes = new HeaderIndexes(instance);
        ConcurrentMap<String, Long> heard = new ConcurrentHashMap<>();
        instance.<String, ServiceHeader>getMap(map).addEntryListener(new HeardIndexes(indexes, heard), true);
        return heard;
    }

    private record HeardIndexes(HeaderIndexes indexes, ConcurrentMap<String, Long> heard)
            implements EntryAddedListener<String, ServiceHeader>, EntryUpdatedListener<String, ServiceHeader> {

        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, ServiceHeader> event) {
            heard.merge(event.getKey(), indexes.ofEvent(event), Math::max);
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, ServiceHeader> event) {
            heard.merge(event.getKey(), indexes.ofEvent(event), Math::max);
        }
    }
}
