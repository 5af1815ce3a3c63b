package io.meridian.client;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceView;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last answer to each {@code healthy(service, query)}, kept for as long as the service's view is the same object
 * (the registry hands out one view until the service changes): a repeated lookup is two map reads, with no list built.
 * The caller reuses an answer only while it has ejected no instance, since an ejection ends with time, not with a new
 * view. At most {@value #QUERIES_PER_SERVICE} queries are kept per service; past that the service's answers start
 * over. Thread-safe.
 */
final class HealthyAnswers {

    static final int QUERIES_PER_SERVICE = 64;

    private record Answer(ServiceView view, List<InstanceEntry> instances) {
    }

    private final Map<String, Map<InstanceQuery, Answer>> byService = new ConcurrentHashMap<>();

    /** The answer kept for the view and query, if there is one: the list worked out for this very view object. */
    List<InstanceEntry> kept(ServiceView view, InstanceQuery query) {
        Map<InstanceQuery, Answer> answers = byService.get(view.service());
        Answer kept = answers == null ? null : answers.get(query);
        return kept != null && kept.view() == view ? kept.instances() : null;
    }

    /** Keeps the answer worked out for the view and query. */
    void keep(ServiceView view, InstanceQuery query, List<InstanceEntry> instances) {
        Map<InstanceQuery, Answer> answers = byService.computeIfAbsent(view.service(),
                service -> new ConcurrentHashMap<>());
        if (answers.size() >= QUERIES_PER_SERVICE) {
            answers.clear();
        }
        answers.put(query, new Answer(view, instances));
    }
}
