package io.meridian.http;

import io.javalin.http.Context;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceCatalog;
import io.meridian.registry.ServiceView;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Lookups: {@code /v1/health/service/:name}, {@code /v1/catalog/service/:name} and {@code /v1/catalog/services}. */
final class ServiceEndpoints {

    private final Registry registry;
    private final ConsulShapes shapes;
    private final ConsulHeaders headers;
    private final BlockingQuery blocking;

    ServiceEndpoints(Registry registry, ConsulShapes shapes, ConsulHeaders headers, BlockingQuery blocking) {
        this.registry = registry;
        this.shapes = shapes;
        this.headers = headers;
        this.blocking = blocking;
    }

    void health(Context ctx) {
        lookup(ctx, shapes::healthEntry);
    }

    void catalogService(Context ctx) {
        lookup(ctx, shapes::catalogEntry);
    }

    void catalogServices(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        blocking.answer(ctx, index -> registry.awaitCatalog(namespace, index), () -> -1L, ignored -> {
            ServiceCatalog catalog = registry.catalog(namespace);
            headers.set(ctx, catalog.index());
            ctx.json(ConsulShapes.services(catalog.tagsByService()));
        });
    }

    private void lookup(Context ctx, Function<InstanceEntry, Map<String, Object>> shape) {
        String namespace = RequestParams.namespace(ctx);
        String service = ctx.pathParam("name");
        InstanceFilter filter = RequestParams.filter(ctx);
        boolean consistent = RequestParams.flag(ctx, "consistent");
        blocking.answer(ctx,
                index -> registry.awaitService(namespace, service, index),
                () -> consistent ? registry.serviceConsistent(namespace, service) : registry.service(namespace, service),
                view -> render(ctx, view, filter, shape));
    }

    private void render(Context ctx, ServiceView view, InstanceFilter filter,
                        Function<InstanceEntry, Map<String, Object>> shape) {
        List<Map<String, Object>> body = view.select(filter).stream().map(shape).toList();
        headers.set(ctx, view.index());
        ctx.json(body);
    }
}
