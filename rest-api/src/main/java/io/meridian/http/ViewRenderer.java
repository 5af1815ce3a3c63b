package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.filter.FilterExpression;
import io.meridian.http.filter.Selectors;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.ServiceView;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Renders the instances of a service view in one response shape, reusing the last rendering when the same view comes
 * with the same filter and expression: every watcher woken by a change is handed the same view object, so a change is rendered once,
 * not once per watcher. Thread-safe.
 */
final class ViewRenderer {

    private record Rendering(ServiceView view, InstanceFilter filter, Optional<FilterExpression> expression,
                             String json) {
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

    /** The instances that pass the filter and the expression, if any, in the response shape. */
    String render(ServiceView view, InstanceFilter filter, Optional<FilterExpression> expression) {
        Rendering cached = last.get();
        if (cached != null && cached.view() == view && cached.filter().equals(filter)
                && cached.expression().equals(expression)) {
            return cached.json();
        }
        try {
            String json = mapper.writeValueAsString(view.select(filter).stream()
                    .filter(entry -> expression.map(wanted -> wanted.test(selectors.of(entry))).orElse(true))
                    .map(shape).toList());
            last.set(new Rendering(view, filter, expression, json));
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a service view could not be written as JSON", e);
        }
    }
}
