package io.meridian.http;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.meridian.http.filter.InstanceSelectors;
import io.meridian.http.filter.Selectors;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceCatalog;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;

/** Lookups: {@code /v1/health/service/:name}, {@code /v1/catalog/service/:name} and {@code /v1/catalog/services}. */
final class ServiceEndpoints {

    private final Registry registry;
    private final ConsulHeaders headers;
    private final BlockingQuery blocking;
    private final NamespaceReads reads;
    private final ViewRenderer healthRenderer;
    private final ViewRenderer catalogRenderer;
    private final Acl acl;
    private final CommittedStateReads committedReads;
    private final Optional<String> zone;

    /**
     * Lookups answered by a node in {@code zone} (empty if it has none), which {@code ?near=_agent} puts first, in
     * the health and catalog shapes the renderers give.
     */
    ServiceEndpoints(Registry registry, ViewRenderer healthRenderer, ViewRenderer catalogRenderer,
                     ConsulHeaders headers, BlockingQuery blocking, NamespaceReads reads, Acl acl,
                     Optional<String> zone, CommittedStateReads committedReads) {
        this.acl = acl;
        this.reads = reads;
        this.committedReads = committedReads;
        this.zone = zone;
        this.registry = registry;
        this.headers = headers;
        this.blocking = blocking;
        this.healthRenderer = healthRenderer;
        this.catalogRenderer = catalogRenderer;
    }

    void health(Context ctx) {
        lookup(ctx, healthRenderer, InstanceSelectors.HEALTH);
    }

    void catalogService(Context ctx) {
        lookup(ctx, catalogRenderer, InstanceSelectors.CATALOG);
    }

    void catalogServices(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        reads.answer(ctx, namespace, catalog -> {
            Map<String, SortedSet<String>> readable = new TreeMap<>(catalog.tagsByService());
            readable.keySet().removeIf(service -> !acl.canRead(ctx, namespace, service));
            ConsulHeaders.filteredByAcls(ctx, readable.size() < catalog.tagsByService().size());
            ctx.json(ConsulShapes.services(readable));
        });
    }

    private void lookup(Context ctx, ViewRenderer renderer, Selectors<InstanceEntry> selectors) {
        String namespace = RequestParams.namespace(ctx);
        String service = ctx.pathParam("name");
        acl.requireRead(ctx, namespace, service);
        Selection selection = new Selection(RequestParams.filter(ctx), RequestParams.expression(ctx, selectors),
                RequestParams.nearZone(ctx, zone));
        boolean consistent = RequestParams.flag(ctx, "consistent");
        if (RequestParams.flag(ctx, "cached") && !consistent) {
            sayWhetherCached(ctx, registry.heldService(namespace, service).isPresent());
        }
        blocking.answer(ctx,
                index -> registry.awaitService(namespace, service, index),
                () -> consistent ? committedReads.read(ctx, () -> registry.serviceConsistent(namespace, service))
                        : registry.service(namespace, service),
                view -> {
                    headers.set(ctx, view.index());
                    ctx.contentType(ContentType.APPLICATION_JSON).result(renderer.render(view, selection));
                });
    }

    /**
     * Consul's answer to {@code ?cached}: {@code X-Cache: HIT} when the node held a current view of the service (kept
     * by change events and re-read at least every second, so its {@code Age} in whole seconds is 0), {@code MISS}
     * when it read one for this request.
     */
    private static void sayWhetherCached(Context ctx, boolean held) {
        ctx.header("X-Cache", held ? "HIT" : "MISS");
        ctx.header("Age", "0");
    }
}
