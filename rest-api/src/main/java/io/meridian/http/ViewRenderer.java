package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.filter.Selectors;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceView;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Renders the instances of a service view in one response shape, reusing the last rendering when the same view comes
 * with the same selection: every watcher woken by a change is handed the same view object, so a change is rendered once,
 * not once per watcher. Thread-safe.
 */
final class ViewRenderer {

    private record Rendering(ServiceView view, Selection selection, String json) {
    }

    private final ObjectMapper mapper;
    private final Function<InstanceEntry, Map<String, Object>> shape;
    private final Selectors<InstanceEntry> selectors;
    private final AtomicReference<Rendering> last = new AtomicReference<>();

    ViewRenderer(ObjectMapper mapper, Function<InstanceEntry, Map<String, Object>> shape,
                 Selectors<InstanceEntry> selectors) {
        this.mapper = mapper;
        this.shape = shape;
        this.selectors = selectors;
    }

    /** The instances the selection wants, in its order, in the response shape. */
    String render(ServiceView view, Selection selection) {
        Rendering cached = last.get();
        if (cached != null && cached.view() == view && cached.selection().equals(selection)) {
            return cached.json();
        }
        try {
            String json = mapper.writeValueAsString(selection.apply(view, selectors).stream().map(shape).toList());
            last.set(new Rendering(view, selection, json));
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a service view could not be written as JSON", e);
        }
    }
}
