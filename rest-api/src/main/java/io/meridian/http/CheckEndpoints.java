package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import io.meridian.http.wire.CheckBody;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.http.wire.InvalidFieldException;
import io.meridian.http.wire.Registrations;
import io.meridian.registry.Check;
import io.meridian.registry.ClusterStatus;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;

import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks: registering and deregistering one on an instance, TTL renewals
 * ({@code /v1/agent/check/pass|warn|fail|update/:id}), and the check listings
 * ({@code /v1/agent/checks}, {@code /v1/health/checks/:service}, {@code /v1/health/state/:state},
 * {@code /v1/health/node/:node}).
 */
final class CheckEndpoints {

    /** The body of {@code PUT /v1/agent/check/update/:id}. */
    record UpdateBody(String status, String output) {
    }

    private final Registry registry;
    private final ObjectMapper mapper;
    private final ConsulShapes shapes;
    private final ConsulHeaders headers;
    private final BlockingQuery blocking;
    private final ApiSettings settings;
    private final Acl acl;
    private final ClusterStatus cluster;
    private final NamespaceReads reads;
    private final CheckListing listing;

    CheckEndpoints(Registry registry, ObjectMapper mapper, ConsulShapes shapes, ConsulHeaders headers,
                   BlockingQuery blocking, NamespaceReads reads, CheckListing listing, ApiSettings settings, Acl acl,
                   ClusterStatus cluster) {
        this.acl = acl;
        this.reads = reads;
        this.listing = listing;
        this.cluster = cluster;
        this.registry = registry;
        this.mapper = mapper;
        this.shapes = shapes;
        this.headers = headers;
        this.blocking = blocking;
        this.settings = settings;
    }

    void pass(Context ctx) {
        renew(ctx, HealthStatus.PASSING, Objects.requireNonNullElse(ctx.queryParam("note"), ""));
    }

    void warn(Context ctx) {
        renew(ctx, HealthStatus.WARNING, Objects.requireNonNullElse(ctx.queryParam("note"), ""));
    }

    void fail(Context ctx) {
        renew(ctx, HealthStatus.CRITICAL, Objects.requireNonNullElse(ctx.queryParam("note"), ""));
    }

    void update(Context ctx) {
        UpdateBody body;
        try {
            body = mapper.readValue(ctx.body(), UpdateBody.class);
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("malformed JSON: " + e.getOriginalMessage());
        }
        if (body == null || body.status() == null) {
            throw new BadRequestResponse("Status is required: passing, warning or critical");
        }
        HealthStatus status;
        try {
            status = HealthStatus.fromWireName(body.status());
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(e.getMessage());
        }
        renew(ctx, status, Objects.requireNonNullElse(body.output(), ""));
    }

    void register(Context ctx) {
        CheckBody body;
        try {
            body = mapper.readValue(ctx.body(), CheckBody.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof InvalidFieldException invalid) {
                throw invalid;
            }
            throw new BadRequestResponse("malformed JSON: " + e.getOriginalMessage());
        }
        if (body == null || body.serviceId() == null || body.serviceId().isBlank()) {
            throw new BadRequestResponse("ServiceID is required: Meridian checks belong to a registered instance");
        }
        String defaultId = body.name() == null || body.name().isBlank() ? "service:" + body.serviceId() : body.name();
        String namespace = RequestParams.namespace(ctx);
        acl.requireWriteOnInstance(ctx, namespace, body.serviceId());
        Check check = Registrations.toCheck(body, defaultId);
        settings.checkTargets().requireAllowed(List.of(check));
        registry.putCheck(namespace, body.serviceId(), check);
        ctx.status(200);
    }

    void deregister(Context ctx) {
        requireWriteOnCheck(ctx);
        registry.removeCheck(RequestParams.namespace(ctx), ctx.pathParam("id"));
        ctx.status(200);
    }

    void serviceChecks(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        String service = ctx.pathParam("name");
        acl.requireRead(ctx, namespace, service);
        blocking.answer(ctx, index -> registry.awaitService(namespace, service, index),
                () -> registry.service(namespace, service), view -> {
                    headers.set(ctx, view.index());
                    ctx.json(listing.of(namespace, view.instances(), null));
                });
    }

    void inState(Context ctx) {
        String state = ctx.pathParam("state");
        HealthStatus wanted;
        try {
            wanted = "any".equals(state) ? null : HealthStatus.fromWireName(state);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("unknown state '" + state + "': expected any, passing, warning or critical");
        }
        String namespace = RequestParams.namespace(ctx);
        reads.answer(ctx, namespace, catalog ->
                ctx.json(listing.of(namespace, readable(ctx, namespace, registry.instances(namespace)), wanted)));
    }

    /**
     * The checks of a node's instances; for a running member, first the node check Consul keeps for every agent
     * ({@code serfHealth}, passing). A node the catalog lacks has none.
     */
    void onNode(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        String name = ctx.pathParam("node");
        reads.answer(ctx, namespace, catalog -> {
            CatalogNode node = CatalogNode.of(cluster.members(), readable(ctx, namespace,
                    registry.instances(namespace))).get(name);
            List<Map<String, Object>> checks = new ArrayList<>();
            if (node != null && node.member()) {
                checks.add(shapes.serfHealth(node.name(), node.createIndex()));
            }
            if (node != null) {
                checks.addAll(listing.of(namespace, node.instances(), null));
            }
            ctx.json(checks);
        });
    }

    void agentChecks(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        List<InstanceEntry> local = readable(ctx, namespace, registry.instances(namespace)).stream()
                .filter(entry -> entry.instance().node().equals(settings.nodeName())).toList();
        Map<String, Object> checks = new LinkedHashMap<>();
        for (Map<String, Object> check : listing.of(namespace, local, null)) {
            checks.put((String) check.get("CheckID"), check);
        }
        ctx.json(checks);
    }

    /**
     * Stores a TTL check's new status. A lease is an AP write that a member cut off from the majority could still make
     * once it has declared the others gone, so a node that knows no CP leader refuses it, as it refuses every write.
     */
    private void renew(Context ctx, HealthStatus status, String output) {
        requireWriteOnCheck(ctx);
        if (cluster.leader().isEmpty()) {
            // Refused before anything is written: not the write 503 that says the write may still apply.
            throw new ServiceUnavailableResponse("this node knows no CP leader (it is cut off from the majority, or"
                    + " an election is under way): the check's status is not stored; retry");
        }
        registry.renewTtl(RequestParams.namespace(ctx), ctx.pathParam("id"), status, output);
        ctx.status(200);
    }

    /** A check, named by the path's id, may be changed only with write on its service. */
    private void requireWriteOnCheck(Context ctx) {
        acl.requireWriteOnCheck(ctx, RequestParams.namespace(ctx), ctx.pathParam("id"));
    }

    /** The entries whose services the request may read, saying so in the answer if its token hid any. */
    private List<InstanceEntry> readable(Context ctx, String namespace, List<InstanceEntry> entries) {
        List<InstanceEntry> readable = entries.stream()
                .filter(entry -> acl.canRead(ctx, namespace, entry.instance().service())).toList();
        ConsulHeaders.filteredByAcls(ctx, readable.size() < entries.size());
        return readable;
    }
}
