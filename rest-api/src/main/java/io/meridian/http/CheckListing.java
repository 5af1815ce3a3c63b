package io.meridian.http;

import io.meridian.http.wire.ConsulShapes;
import io.meridian.registry.Check;
import io.meridian.registry.CheckOutcome;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;

import java.util.List;
import java.util.Map;

/** Checks as Consul's listings show them, each with the output of its last run. Thread-safe. */
final class CheckListing {

    private final Registry registry;
    private final ConsulShapes shapes;

    CheckListing(Registry registry, ConsulShapes shapes) {
        this.registry = registry;
        this.shapes = shapes;
    }

    /** The checks of the entries in the wanted status (any if null), in the entries' order. */
    List<Map<String, Object>> of(String namespace, List<InstanceEntry> entries, HealthStatus wanted) {
        List<Map.Entry<InstanceEntry, Check>> selected = entries.stream()
                .flatMap(entry -> entry.instance().checks().stream()
                        .filter(check -> wanted == null || check.status() == wanted)
                        .map(check -> Map.entry(entry, check)))
                .toList();
        Map<String, CheckOutcome> outcomes = registry.checkOutcomes(namespace,
                selected.stream().map(pair -> pair.getValue().id()).toList());
        return selected.stream().map(pair -> {
            CheckOutcome outcome = outcomes.get(pair.getValue().id());
            return shapes.check(pair.getKey(), pair.getValue(), outcome == null ? "" : outcome.output());
        }).toList();
    }
}
