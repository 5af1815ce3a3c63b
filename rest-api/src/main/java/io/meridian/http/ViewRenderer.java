package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.filter.Selectors;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceView;

import java.io.ByteArrayOutputStream;
import java.lang.ref.SoftReference;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Renders the instances of a service view in one response shape, and keeps the rendering per service and selection
 * until the service's view changes: the registry hands out the same view object until then, so repeated lookups and
 * every watcher woken by one change reuse one rendering. When the view changes, the instances it still holds are
 * copied from the last rendering rather than rendered again: the registry hands out the same instance objects for
 * what did not change, and a shape depends on its instance alone. At most {@value #MAX_RENDERINGS} renderings are
 * kept; past that the cache starts over, so arbitrary selections cannot grow it. They are held softly: with their
 * views they can be a copy of every instance looked up, kept after the service changed until it is looked up again,
 * so the collector may drop them when the heap runs short, which only costs a rendering. Thread-safe.
 */
final class ViewRenderer {

    static final int MAX_RENDERINGS = 4096;

    private record Key(String namespace, String service, Selection selection) {
    }

    /** The view's JSON array, and where in it each element is, by the instance it shows. */
    private record Rendering(ServiceView view, byte[] json, Map<InstanceEntry, Span> elements) {
    }

    /** The bytes of one element of a rendering's array. */
    private record Span(int from, int length) {
    }

    private final ObjectMapper mapper;
    private final Function<InstanceEntry, Map<String, Object>> shape;
    private final Selectors<InstanceEntry> selectors;
    private final Map<Key, SoftReference<Rendering>> renderings = new ConcurrentHashMap<>();

    ViewRenderer(ObjectMapper mapper, Function<InstanceEntry, Map<String, Object>> shape,
                 Selectors<InstanceEntry> selectors) {
        this.mapper = mapper;
        this.shape = shape;
        this.selectors = selectors;
    }

    /** The instances the selection wants, in its order, in the response shape, as UTF-8 JSON. */
    byte[] render(ServiceView view, Selection selection) {
        Key key = new Key(view.namespace(), view.service(), selection);
        SoftReference<Rendering> held = renderings.get(key);
        Rendering cached = held == null ? null : held.get();
        if (cached != null && cached.view() == view) {
            return cached.json();
        }
        Map<InstanceEntry, Span> elements = new IdentityHashMap<>();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        json.write('[');
        for (InstanceEntry entry : selection.apply(view, selectors)) {
            if (json.size() > 1) {
                json.write(',');
            }
            int from = json.size();
            Span earlier = cached == null ? null : cached.elements().get(entry);
            if (earlier == null) {
                json.writeBytes(element(entry));
            } else {
                json.write(cached.json(), earlier.from(), earlier.length());
            }
            elements.put(entry, new Span(from, json.size() - from));
        }
        json.write(']');
        if (renderings.size() >= MAX_RENDERINGS) {
            renderings.clear();
        }
        Rendering rendering = new Rendering(view, json.toByteArray(), elements);
        renderings.put(key, new SoftReference<>(rendering));
        return rendering.json();
    }

    private byte[] element(InstanceEntry entry) {
        try {
            return mapper.writeValueAsBytes(shape.apply(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a service view could not be written as JSON", e);
        }
    }
}
