package io.meridian.http.wire;

import io.meridian.registry.ChangeEvent;
import io.meridian.registry.PositionedChange;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change event as JSON, the same on the stream endpoint and on Kafka: {@code Id}, {@code Position}, {@code Index},
 * {@code Type}, {@code Namespace}, {@code Service}, {@code Instance}, and {@code State}, the instance after the change
 * in the shape of one element of {@code /v1/health/service/:name} ({@code null} once deregistered).
 */
public final class ChangeEventShapes {

    private final ConsulShapes shapes;

    public ChangeEventShapes(ConsulShapes shapes) {
        this.shapes = shapes;
    }

    public Map<String, Object> of(PositionedChange change) {
        ChangeEvent event = change.event();
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("Id", event.id());
        shape.put("Position", change.position());
        shape.put("Index", event.index());
        shape.put("Type", event.type().wireName());
        shape.put("Namespace", event.namespace());
        shape.put("Service", event.service());
        shape.put("Instance", event.instance());
        shape.put("State", event.state() == null ? null : shapes.healthEntry(event.state()));
        return shape;
    }
}
