package io.meridian.registry.grid;

import io.meridian.registry.InstanceEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.meridian.registry.testing.Instances.inNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InstanceIdIndexTest {

    private final Map<String, Long> namespaceIndexes = new ConcurrentHashMap<>(Map.of("default", 5L));
    private final Map<String, List<InstanceEntry>> registered = new ConcurrentHashMap<>(Map.of("default",
            List.of(new InstanceEntry(inNamespace("default", "web", "Web-1"), 2, 2))));
    private final AtomicInteger scans = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final InstanceIdIndex index = new InstanceIdIndex(namespace -> namespaceIndexes.getOrDefault(namespace, 1L),
            namespace -> {
                scans.incrementAndGet();
                return registered.getOrDefault(namespace, List.of());
            }, nanos::get, Duration.ofSeconds(1));

    @Test
    void idsAreFoundWithoutRegardToCaseAndAFloodOfMissesCostsOneScan() {
        assertEquals(Optional.of("web"), index.serviceOf("default", "WEB-1"));
        for (int i = 0; i < 10_000; i++) {
            assertEquals(Optional.empty(), index.serviceOf("default", "random-" + i));
            assertEquals(Optional.empty(), index.serviceOf("random-ns-" + i, "web-1"));
        }
        assertEquals(1, scans.get(), "one scan: the namespace did not change, and namespaces never written cost none");
    }

    @Test
    void aNewIdIsFoundOnceTheNamespaceChangedAndTheLastBuildIsOldEnough() {
        index.serviceOf("default", "web-1");
        registered.put("default", List.of(new InstanceEntry(inNamespace("default", "web", "Web-1"), 2, 2),
                new InstanceEntry(inNamespace("default", "api", "api-7"), 6, 6)));
        namespaceIndexes.put("default", 6L);
        assertEquals(Optional.empty(), index.serviceOf("default", "api-7"), "built less than a second ago");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(Optional.of("api"), index.serviceOf("default", "api-7"));
        assertEquals(2, scans.get());
    }
}
