package io.meridian.http;

import io.javalin.http.Context;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceCatalog;

import java.util.function.Consumer;

/**
 * Answers the reads that cover a whole namespace (its services, its nodes, checks by state or by node) as Consul
 * answers reads of a whole table: blocking until the namespace's index passes the request's {@code ?index}, with the
 * namespace's index in {@code X-Consul-Index}. The catalog, and so the index, is read before the answer is built, so
 * a watcher that comes back with that index never misses a change made while the answer was built. Thread-safe.
 */
final class NamespaceReads {

    private final Registry registry;
    private final BlockingQuery blocking;
    private final ConsulHeaders headers;

    NamespaceReads(Registry registry, BlockingQuery blocking, ConsulHeaders headers) {
        this.registry = registry;
        this.blocking = blocking;
        this.headers = headers;
    }

    /** Sets the headers and has {@code respond} answer, with the namespace's catalog as read for the index. */
    void answer(Context ctx, String namespace, Consumer<ServiceCatalog> respond) {
        // The waiter only says that the namespace changed; the answer always reads afresh.
        blocking.answer(ctx, index -> registry.awaitCatalog(namespace, index), () -> 0L, changed -> {
            ServiceCatalog catalog = registry.catalog(namespace);
            headers.set(ctx, catalog.index());
            respond.accept(catalog);
        });
    }
}
