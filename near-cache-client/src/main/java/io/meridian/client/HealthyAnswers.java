package io.meridian.client;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceView;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The last answer to each {@code healthy(service, query)}, kept for as long as the service's view is the same object
 * (the registry hands out one view until the service changes): a repeated lookup is two map reads, with no list built
 * and nothing allocated. An answer is reused only while the client has ejected no instance, since an ejection ends
 * with time, not with a new view. At most {@value #QUERIES_PER_SERVICE} queries are kept per service; past that the
 * service's answers start over. Thread-safe.
 */
final class HealthyAnswers {

    static final int QUERIES_PER_SERVICE = 64;

    private record Answer(ServiceView view, List<InstanceEntry> instances) {
    }

    private final Map<String, Map<InstanceQuery, Answer>> byService = new ConcurrentHashMap<>();

    /**
     * The answer kept for the view and query, or the one {@code compute} gives, kept unless {@code reusable} is
     * false (an instance is ejected).
     */
    List<InstanceEntry> answer(ServiceView view, InstanceQuery query, boolean reusable,
                               Supplier<List<InstanceEntry>> compute) {
        Map<InstanceQuery, Answer> answers = byService.get(view.service());
        Answer kept = answers == null ? null : answers.get(query);
        if (reusable && kept != null && kept.view() == view) {
            return kept.instances();
        }
        List<InstanceEntry> instances = compute.get();
        if (reusable) {
            Map<InstanceQuery, Answer> forService = byService.computeIfAbsent(view.service(),
                    service -> new ConcurrentHashMap<>());
            if (forService.size() >= QUERIES_PER_SERVICE) {
                forService.clear();
            }
            forService.put(query, new Answer(view, instances));
        }
        return instances;
    }
}
