package io.meridian.registry.grid;

import com.hazelcast.map.IMap;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Reads from a member's own copies agree with the owners' the moment a write returns, whether the map keeps a copy on
 * every member (the projection maps) or on fewer (the check locations keep one backup, so a member holds two thirds).
 */
class NearestCopyTest {

    private static TestCluster cluster;
    private static NearestCopy copies;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
        copies = new NearestCopy(cluster.member(0), List.of());
    }

    @AfterAll
    static void stop() {
        copies.close();
        cluster.close();
    }

    @Test
    void aWriteThroughAnotherMemberIsReadAtOnceFromThisMembersCopyOrItsOwner() {
        for (String map : List.of(GridNames.CHECKS_MAP, GridNames.SERVICES_MAP)) {
            IMap<String, String> written = cluster.member(1).getMap(map);
            IMap<String, String> read = cluster.member(0).getMap(map);
            for (int i = 0; i < 200; i++) {
                written.set("copies/key-" + i, "value-" + i);
                assertEquals("value-" + i, copies.get(read, "copies/key-" + i), map + " key-" + i);
            }
            assertNull(copies.get(read, "copies/absent"));
        }
    }

    /** What a projection step made on its owner is in every backup copy once the step returns ({@link MadeOnOwner}). */
    @Test
    void aProjectionStepThroughAnotherMemberIsInThisMembersCopyAtOnce() {
        IMap<String, ServiceHeader> written = cluster.member(1).getMap(GridNames.SERVICES_MAP);
        IMap<String, ServiceHeader> read = cluster.member(0).getMap(GridNames.SERVICES_MAP);
        for (int i = 0; i < 200; i++) {
            BucketSummary summary = new BucketSummary(i + 1, 1, List.of("v" + i));
            written.submitToKey("steps/web-" + i, new ApplySummary(i % 256, summary, 100 + i))
                    .toCompletableFuture().join();
            assertEquals(new ServiceHeader(100 + i, Map.of(i % 256, summary)), copies.get(read, "steps/web-" + i),
                    "web-" + i);
        }
    }

    @Test
    void aScanOfANamespaceSeesWhatTheOwnersHold() {
        for (String map : List.of(GridNames.CHECKS_MAP, GridNames.SERVICES_MAP)) {
            IMap<String, String> written = cluster.member(2).getMap(map);
            Map<String, String> expected = new HashMap<>();
            for (int i = 0; i < 100; i++) {
                written.set("scan/key-" + i, "value-" + i);
                expected.put("scan/key-" + i, "value-" + i);
            }
            written.set("other/key", "elsewhere");
            Map<String, String> scanned = new HashMap<>();
            copies.scan(cluster.member(0).<String, String>getMap(map), "scan", scanned::put);
            assertEquals(expected, scanned, map);
        }
    }
}
