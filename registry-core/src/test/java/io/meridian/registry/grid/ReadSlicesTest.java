package io.meridian.registry.grid;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A slice read before is answered again only while the header's summary still describes it. */
class ReadSlicesTest {

    private static final ServiceSlice TWO_AT_30 = ServiceSlice.EMPTY
            .with(1, part(10, "web-1"))
            .with(2, part(20, "web-2"));

    @Test
    void aSliceIsAnsweredWhileTheSummaryNamesItsVersionAndSize() {
        ReadSlices read = new ReadSlices(10);
        read.keep(Map.of("web#1", TWO_AT_30));

        assertSame(TWO_AT_30, read.matching("web#1", new BucketSummary(30, 2, List.of())));
        assertNull(read.matching("web#1", new BucketSummary(31, 2, List.of())), "a newer summary: read again");
        assertNull(read.matching("web#1", new BucketSummary(29, 2, List.of())), "an older summary: read again");
        assertNull(read.matching("web#1", new BucketSummary(30, 1, List.of())), "a damaged summary: read again");
        assertNull(read.matching("web#2", new BucketSummary(30, 2, List.of())), "another slice");
    }

    @Test
    void pastItsCapacityItStartsOver() {
        ReadSlices read = new ReadSlices(2);
        read.keep(Map.of("web#1", TWO_AT_30, "web#2", TWO_AT_30));
        read.keep(Map.of("web#3", TWO_AT_30));

        assertNull(read.matching("web#1", new BucketSummary(30, 2, List.of())));
        assertSame(TWO_AT_30, read.matching("web#3", new BucketSummary(30, 2, List.of())));
    }

    private static ServicePart part(long index, String id) {
        ServiceInstance instance = ServiceInstance.builder("web", id).build();
        return new ServicePart(index, Map.of(id, new InstanceEntry(instance, index, index)));
    }
}
