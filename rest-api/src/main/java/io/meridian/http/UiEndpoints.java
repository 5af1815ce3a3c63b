package io.meridian.http;

import io.javalin.http.Context;
import io.meridian.registry.Check;
import io.meridian.registry.CheckOutcome;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceView;
import io.meridian.http.wire.ConsulShapes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the web UI at {@code /ui/} reads besides Consul's API, under {@code /v1/internal/ui/} as Consul's UI has its
 * own: {@code services} (each service of the namespace with its tags and its instances counted by health, blocking on
 * the namespace's index), {@code service/:name} (its instances, each with its checks' last output and when they ran,
 * blocking on the service's index) and {@code namespaces}. Each leaves out what the token may not read.
 */
final class UiEndpoints {

    private final Registry registry;
    private final ConsulShapes shapes;
    private final NamespaceReads namespaceReads;
    private final BlockingQuery blocking;
    private final ConsulHeaders headers;
    private final Acl acl;

    UiEndpoints(Registry registry, ConsulShapes shapes, NamespaceReads namespaceReads, BlockingQuery blocking,
                ConsulHeaders headers, Acl acl) {
        this.registry = registry;
        this.shapes = shapes;
        this.namespaceReads = namespaceReads;
        this.blocking = blocking;
        this.headers = headers;
        this.acl = acl;
    }

    void services(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        namespaceReads.answer(ctx, namespace, catalog -> {
            Map<String, Map<HealthStatus, Integer>> counts = new TreeMap<>();
            for (InstanceEntry entry : registry.instances(namespace)) {
                counts.computeIfAbsent(entry.instance().service(), service -> new EnumMap<>(HealthStatus.class))
                        .merge(entry.instance().health(), 1, Integer::sum);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            counts.forEach((service, byHealth) -> {
                if (acl.canRead(ctx, namespace, service)) {
                    rows.add(serviceRow(service, catalog.tagsByService().getOrDefault(service, new TreeSet<>()),
                            byHealth));
                }
            });
            ctx.json(rows);
        });
    }

    void service(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        String service = ctx.pathParam("name");
        acl.requireRead(ctx, namespace, service);
        blocking.answer(ctx, index -> registry.awaitService(namespace, service, index),
                () -> registry.service(namespace, service), view -> {
                    headers.set(ctx, view.index());
                    ctx.json(instances(namespace, view));
                });
    }

    void namespaces(Context ctx) {
        acl.of(ctx);
        ctx.json(new TreeSet<>(registry.namespaces()));
    }

    private static Map<String, Object> serviceRow(String service, SortedSet<String> tags,
                                                  Map<HealthStatus, Integer> byHealth) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Name", service);
        row.put("Tags", tags);
        row.put("InstanceCount", byHealth.values().stream().mapToInt(Integer::intValue).sum());
        row.put("Passing", byHealth.getOrDefault(HealthStatus.PASSING, 0));
        row.put("Warning", byHealth.getOrDefault(HealthStatus.WARNING, 0));
        row.put("Critical", byHealth.getOrDefault(HealthStatus.CRITICAL, 0));
        return row;
    }

    private List<Map<String, Object>> instances(String namespace, ServiceView view) {
        List<String> checkIds = view.instances().stream()
                .flatMap(entry -> entry.instance().checks().stream().map(Check::id)).toList();
        Map<String, CheckOutcome> outcomes = checkIds.isEmpty() ? Map.of()
                : registry.checkOutcomes(namespace, checkIds);
        List<Map<String, Object>> instances = new ArrayList<>();
        for (InstanceEntry entry : view.instances()) {
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("Service", shapes.agentService(entry));
            instance.put("Health", entry.instance().health().wireName());
            instance.put("Zone", entry.instance().meta().getOrDefault("zone", ""));
            instance.put("Node", entry.instance().node());
            instance.put("Checks", entry.instance().checks().stream()
                    .map(check -> check(entry, check, outcomes.get(check.id()))).toList());
            instances.add(instance);
        }
        return instances;
    }

    private Map<String, Object> check(InstanceEntry entry, Check check, CheckOutcome outcome) {
        Map<String, Object> shape = shapes.check(entry, check, outcome == null ? "" : outcome.output());
        shape.put("LastRun", outcome == null || outcome.ranAtMillis() == 0 ? null
                : Instant.ofEpochMilli(outcome.ranAtMillis()).toString());
        return shape;
    }
}
