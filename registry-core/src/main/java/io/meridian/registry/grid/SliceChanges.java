package io.meridian.registry.grid;

import io.meridian.registry.ChangeEvent;
import io.meridian.registry.ChangeType;
import io.meridian.registry.InstanceEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The change events between two states of one slice of the projection: each shard part that moved forward gives an
 * event per instance it added, changed or dropped, at the part's index.
 */
final class SliceChanges {

    private SliceChanges() {
    }

    /**
     * @param sliceKey the slice's key, naming its namespace and service
     * @param before   the slice before the change; {@code null} if there was none
     * @param after    the slice after it
     * @return the events, lowest index first
     */
    static List<ChangeEvent> between(String sliceKey, ServiceSlice before, ServiceSlice after) {
        String serviceKey = ServiceKeys.serviceOfSlice(sliceKey);
        String namespace = ServiceKeys.namespaceOf(serviceKey);
        String service = ServiceKeys.serviceOf(serviceKey);
        Map<Integer, ServicePart> oldParts = before == null ? Map.of() : before.parts();
        List<ChangeEvent> events = new ArrayList<>();
        after.parts().forEach((shardId, part) -> {
            ServicePart old = oldParts.get(shardId);
            if (old != null && old.index() >= part.index()) {
                return;
            }
            Map<String, InstanceEntry> oldInstances = old == null ? Map.of() : old.instances();
            part.instances().forEach((id, entry) -> {
                InstanceEntry previous = oldInstances.get(id);
                if (previous == null) {
                    events.add(new ChangeEvent(entry.modifyIndex(), ChangeType.REGISTERED, namespace, service, id,
                            entry));
                } else if (previous.modifyIndex() != entry.modifyIndex()) {
                    events.add(new ChangeEvent(entry.modifyIndex(), ChangeType.UPDATED, namespace, service, id,
                            entry));
                }
            });
            oldInstances.keySet().stream()
                    .filter(id -> !part.instances().containsKey(id))
                    .forEach(id -> events.add(new ChangeEvent(part.index(), ChangeType.DEREGISTERED, namespace,
                            service, id, null)));
        });
        events.sort(Comparator.comparingLong(ChangeEvent::index));
        return events;
    }
}
