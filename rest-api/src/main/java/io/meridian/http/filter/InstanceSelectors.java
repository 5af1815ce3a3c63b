package io.meridian.http.filter;

import io.meridian.registry.Check;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The selectors of the lookup endpoints: Consul's health-entry names ({@code Service.Service}, {@code Service.ID},
 * {@code Service.Tags}, {@code Service.Meta.<key>}, {@code Service.Port}, {@code Service.Address},
 * {@code Checks.Status}, {@code Checks.CheckID}, {@code Checks.Name}) and, on the catalog, also Consul's catalog names
 * ({@code ServiceName}, {@code ServiceID}, {@code ServiceTags}, {@code ServiceMeta.<key>}, {@code ServicePort},
 * {@code ServiceAddress}).
 */
public final class InstanceSelectors {

    /** {@code /v1/health/service}. */
    public static final Selectors<InstanceEntry> HEALTH = new Selectors<>(health(), Map.of("Service.Meta.", meta()));

    /** {@code /v1/catalog/service}: the health names and Consul's catalog names. */
    public static final Selectors<InstanceEntry> CATALOG = new Selectors<>(catalog(),
            Map.of("Service.Meta.", meta(), "ServiceMeta.", meta()));

    private InstanceSelectors() {
    }

    private static Map<String, Function<InstanceEntry, List<String>>> health() {
        return Map.of(
                "Service.Service", entry -> List.of(entry.instance().service()),
                "Service.ID", entry -> List.of(entry.instance().id()),
                "Service.Tags", entry -> entry.instance().tags(),
                "Service.Port", entry -> List.of(String.valueOf(entry.instance().port())),
                "Service.Address", entry -> List.of(entry.instance().address()),
                "Service.Namespace", entry -> List.of(entry.instance().namespace()),
                "Checks.Status", entry -> checks(entry, check -> check.status().name().toLowerCase(Locale.ROOT)),
                "Checks.CheckID", entry -> checks(entry, Check::id),
                "Checks.Name", entry -> checks(entry, Check::name));
    }

    private static Map<String, Function<InstanceEntry, List<String>>> catalog() {
        Map<String, Function<InstanceEntry, List<String>>> selectors = new HashMap<>(health());
        selectors.put("ServiceName", entry -> List.of(entry.instance().service()));
        selectors.put("ServiceID", entry -> List.of(entry.instance().id()));
        selectors.put("ServiceTags", entry -> entry.instance().tags());
        selectors.put("ServicePort", entry -> List.of(String.valueOf(entry.instance().port())));
        selectors.put("ServiceAddress", entry -> List.of(entry.instance().address()));
        return selectors;
    }

    private static Selectors.KeyedReader<InstanceEntry> meta() {
        return (entry, key) -> Optional.ofNullable(entry.instance().meta().get(key)).map(List::of).orElse(List.of());
    }

    private static List<String> checks(InstanceEntry entry, Function<Check, String> field) {
        ServiceInstance instance = entry.instance();
        return instance.checks().stream().map(field).toList();
    }
}
