package io.meridian.http;

import io.meridian.http.filter.FilterExpression;
import io.meridian.http.filter.Selectors;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.ServiceView;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a lookup wants of a service's instances: the tag and passing filter, the {@code ?filter=} expression, and
 * with {@code ?near=_agent} the zone to put first (the answering node's; instances say theirs in {@code meta.zone}),
 * otherwise ordered by id. Equal selections select the same instances in the same order.
 */
record Selection(InstanceFilter filter, Optional<FilterExpression> expression, Optional<String> nearZone) {

    List<InstanceEntry> apply(ServiceView view, Selectors<InstanceEntry> selectors) {
        List<InstanceEntry> selected = view.select(filter).stream()
                .filter(entry -> expression.map(wanted -> wanted.test(selectors.of(entry))).orElse(true))
                .toList();
        return nearZone.map(zone -> selected.stream()
                        .sorted(Comparator.comparing(entry -> !zone.equals(entry.instance().meta().get("zone"))))
                        .toList())
                .orElse(selected);
    }
}
