package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceView;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's view of the instances registered through this node, as Consul's agent gives it for the services it
 * runs: {@code /v1/agent/service/:id} (the definition, with a {@code ContentHash} to block on), and
 * {@code /v1/agent/health/service/id/:id} and {@code /v1/agent/health/service/name/:name}, which answer with the
 * worst status of the instances' checks in the HTTP status (200 passing, 429 warning, 503 critical) for load
 * balancers, and with {@code ?format=text} only that status's name. An instance registered through another node is
 * not this agent's, as in Consul: 404.
 */
final class LocalServiceEndpoints {

    private static final HexFormat HEX = HexFormat.of();

    private final Registry registry;
    private final ObjectMapper mapper;
    private final ConsulShapes shapes;
    private final CheckListing listing;
    private final BlockingQuery blocking;
    private final Acl acl;
    private final ApiSettings settings;
    private final String nodeName;

    LocalServiceEndpoints(Registry registry, ObjectMapper mapper, ConsulShapes shapes, CheckListing listing,
                          BlockingQuery blocking, Acl acl, ApiSettings settings) {
        this.registry = registry;
        this.mapper = mapper;
        this.shapes = shapes;
        this.listing = listing;
        this.blocking = blocking;
        this.acl = acl;
        this.settings = settings;
        this.nodeName = settings.nodeName();
    }

    /**
     * The instance's definition with its {@code ContentHash}, also in {@code X-Consul-ContentHash}. With
     * {@code ?hash=} equal to the current hash, waits up to {@code ?wait} for its service to change, then answers
     * what is current (the hash may be unchanged if another instance of the service changed).
     */
    void service(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        String id = ctx.pathParam("id");
        Local current = local(ctx, namespace, id);
        String seenHash = ctx.queryParam("hash");
        if (seenHash == null || !seenHash.equals(hash(current))) {
            answerDefinition(ctx, current);
            return;
        }
        ctx.future(() -> blocking.park(registry.awaitService(namespace, current.view().service(),
                        current.view().index()), RequestParams.wait(ctx, settings), () -> null)
                .thenAccept(changed -> answerDefinition(ctx, local(ctx, namespace, id))));
    }

    void healthById(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        Local local = local(ctx, namespace, ctx.pathParam("id"));
        HealthStatus status = local.entry().instance().health();
        answerHealth(ctx, status, health(namespace, local.entry(), status));
    }

    void healthByName(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        String service = ctx.pathParam("name");
        acl.requireRead(ctx, namespace, service);
        List<InstanceEntry> here = registry.service(namespace, service).instances().stream()
                .filter(entry -> entry.instance().node().equals(nodeName)).toList();
        if (here.isEmpty()) {
            throw new NotFoundResponse("service " + service + " has no instance registered through this node");
        }
        HealthStatus worst = here.stream().map(entry -> entry.instance().health())
                .reduce(HealthStatus.PASSING, HealthStatus::worst);
        answerHealth(ctx, worst, here.stream()
                .map(entry -> health(namespace, entry, entry.instance().health())).toList());
    }

    /** An instance of this node with the view of its service it was read from. */
    private record Local(InstanceEntry entry, ServiceView view) {
    }

    /** @throws NotFoundResponse if no instance has the id, or it was registered through another node */
    private Local local(Context ctx, String namespace, String id) {
        Optional<String> service = registry.serviceOfInstance(namespace, id);
        if (service.isPresent()) {
            acl.requireRead(ctx, namespace, service.get());
            ServiceView view = registry.service(namespace, service.get());
            Optional<InstanceEntry> entry = view.instances().stream()
                    .filter(each -> each.instance().id().equals(id) && each.instance().node().equals(nodeName))
                    .findFirst();
            if (entry.isPresent()) {
                return new Local(entry.get(), view);
            }
        }
        throw new NotFoundResponse("no instance " + id + " is registered through this node");
    }

    private void answerDefinition(Context ctx, Local local) {
        Map<String, Object> definition = new LinkedHashMap<>(shapes.agentService(local.entry()));
        String hash = hash(local);
        definition.put("ContentHash", hash);
        ctx.header("X-Consul-ContentHash", hash);
        ctx.json(definition);
    }

    /** The first 16 hex digits of the SHA-256 of the definition as JSON: it changes whenever the definition does. */
    private String hash(Local local) {
        try {
            byte[] json = mapper.writeValueAsBytes(shapes.agentService(local.entry()));
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 8);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("an instance's definition could not be hashed", e);
        }
    }

    private Map<String, Object> health(String namespace, InstanceEntry entry, HealthStatus status) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ID", entry.instance().id());
        shape.put("Service", shapes.agentService(entry));
        shape.put("Checks", listing.of(namespace, List.of(entry), null));
        shape.put("AggregatedStatus", status.wireName());
        return shape;
    }

    private static void answerHealth(Context ctx, HealthStatus status, Object body) {
        ctx.status(switch (status) {
            case PASSING -> 200;
            case WARNING -> 429;
            case CRITICAL -> 503;
        });
        if ("text".equals(ctx.queryParam("format"))) {
            ctx.contentType(ContentType.TEXT_PLAIN).result(status.wireName());
        } else {
            ctx.json(body);
        }
    }
}
