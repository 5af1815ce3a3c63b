package io.meridian.client;

import io.meridian.registry.InstanceEntry;

import java.util.List;
import java.util.Map;

/**
 * Which healthy instances a caller wants: all the tags, all the meta pairs, and (if given) one zone, read from the
 * instance's {@code zone} meta.
 */
public record InstanceQuery(List<String> tags, Map<String, String> meta, String zone) {

    /** Every healthy instance. */
    public static final InstanceQuery ANY = new InstanceQuery(List.of(), Map.of(), null);

    public InstanceQuery {
        tags = List.copyOf(tags);
        meta = Map.copyOf(meta);
    }

    boolean matches(InstanceEntry entry) {
        var instance = entry.instance();
        return instance.tags().containsAll(tags)
                && instance.meta().entrySet().containsAll(meta.entrySet())
                && (zone == null || zone.equals(instance.meta().get("zone")));
    }
}
