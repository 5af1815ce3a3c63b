package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.filter.Selectors;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceView;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Renders the instances of a service view in one response shape, and keeps the rendering per service and selection
 * until the service's view changes: the registry hands out the same view object until then, so repeated lookups and
 * every watcher woken by one change reuse one rendering. At most {@value #MAX_RENDERINGS} renderings are kept; past
 * that the cache starts over, so arbitrary selections cannot grow it. Thread-safe.
 */
final class ViewRenderer {

    static final int MAX_RENDERINGS = 4096;

    private record Key(String namespace, String service, Selection selection) {
    }

    private record Rendering(ServiceView view, byte[] json) {
    }

    private final ObjectMapper mapper;
    private final Function<InstanceEntry, Map<String, Object>> shape;
    private final Selectors<InstanceEntry> selectors;
    private final Map<Key, Rendering> renderings = new ConcurrentHashMap<>();

    ViewRenderer(ObjectMapper mapper, Function<InstanceEntry, Map<String, Object>> shape,
                 Selectors<InstanceEntry> selectors) {
        this.mapper = mapper;
        this.shape = shape;
        this.selectors = selectors;
    }

    /** The instances the selection wants, in its order, in the response shape, as UTF-8 JSON. */
    byte[] render(ServiceView view, Selection selection) {
        Key key = new Key(view.namespace(), view.service(), selection);
        Rendering cached = renderings.get(key);
        if (cached != null && cached.view() == view) {
            return cached.json();
        }
        try {
            byte[] json = mapper.writeValueAsBytes(selection.apply(view, selectors).stream().map(shape).toList());
            if (renderings.size() >= MAX_RENDERINGS) {
                renderings.clear();
            }
            renderings.put(key, new Rendering(view, json));
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a service view could not be written as JSON", e);
        }
    }
}
