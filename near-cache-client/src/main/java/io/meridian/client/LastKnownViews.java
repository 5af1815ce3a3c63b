package io.meridian.client;

import io.meridian.registry.ServiceView;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest view this client has read of each service it looked up: what it answers with while the cluster cannot
 * be reached, and what its snapshot holds. What the cluster answered last wins, even with a lower index: a cluster
 * that restarted empty starts its indexes anew. Thread-safe.
 */
final class LastKnownViews {

    private final Map<String, ServiceView> views = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    /** Holds the view as its service's latest, unless the one held has the same index. */
    void remember(ServiceView view) {
        ServiceView held = views.get(view.service());
        if (held == null || held.index() != view.index()) {
            views.put(view.service(), view);
            changes.incrementAndGet();
        }
    }

    Optional<ServiceView> get(String service) {
        return Optional.ofNullable(views.get(service));
    }

    /** Every held view, by service name: a copy. */
    Map<String, ServiceView> all() {
        return Map.copyOf(views);
    }

    /** Counts the changes to what is held, so a snapshot is written only when something changed. */
    long changeCount() {
        return changes.get();
    }
}
