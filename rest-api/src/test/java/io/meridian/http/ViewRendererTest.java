package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.filter.InstanceSelectors;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A changed view renders as a fresh rendering would, shaping only the instances that are new to it. */
class ViewRendererTest {

    private static final ObjectMapper MAPPER = JsonBody.mapper();
    private static final ConsulShapes SHAPES = new ConsulShapes("dc1");
    private static final Selection EVERY = new Selection(InstanceFilter.ALL, Optional.empty(), Optional.empty());

    private final List<InstanceEntry> shaped = new ArrayList<>();
    private final ViewRenderer renderer = new ViewRenderer(MAPPER, entry -> {
        shaped.add(entry);
        return SHAPES.healthEntry(entry);
    }, InstanceSelectors.HEALTH);

    @Test
    void aChangedViewRendersAsAFreshRenderingWouldAndShapesOnlyWhatIsNew() throws Exception {
        InstanceEntry web1 = entry("web-1", 10);
        InstanceEntry web2 = entry("web-2", 11);
        InstanceEntry web3 = entry("web-3", 12);
        renderer.render(view(12, web1, web2, web3), EVERY);
        shaped.clear();

        InstanceEntry web2Changed = entry("web-2", 13);
        InstanceEntry web4 = entry("web-4", 14);
        ServiceView changed = view(14, web1, web2Changed, web4);
        byte[] json = renderer.render(changed, EVERY);

        assertArrayEquals(MAPPER.writeValueAsBytes(changed.instances().stream().map(SHAPES::healthEntry).toList()),
                json);
        assertEquals(List.of(web2Changed, web4), shaped, "web-1 is copied from the last rendering");
    }

    @Test
    void aViewWithNothingSelectedIsAnEmptyArray() {
        assertEquals("[]", new String(renderer.render(view(2), EVERY)));
    }

    private static ServiceView view(long index, InstanceEntry... entries) {
        return new ServiceView("default", "web", index, List.of(entries));
    }

    private static InstanceEntry entry(String id, long index) {
        ServiceInstance instance = ServiceInstance.builder("web", id).address("10.0.0.1").port(8080)
                .meta(Map.of("zone", "a")).build();
        return new InstanceEntry(instance, 10, index);
    }
}
