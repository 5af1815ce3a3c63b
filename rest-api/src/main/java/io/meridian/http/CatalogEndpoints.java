package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.meridian.http.wire.CatalogDeregisterBody;
import io.meridian.http.wire.CatalogRegisterBody;
import io.meridian.http.wire.MissingFieldException;
import io.meridian.http.wire.Registrations;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.UnknownCheckException;
import io.meridian.registry.UnknownInstanceException;

import java.util.List;

/**
 * Third-party registration, {@code PUT /v1/catalog/register} and {@code PUT /v1/catalog/deregister}: registrators
 * acting for services on nodes they watch. Both answer {@code true}, as Consul does; deregistering what is already
 * gone is not an error, so a registrator may repeat itself.
 */
final class CatalogEndpoints {

    private final Registry registry;
    private final ObjectMapper mapper;
    private final Acl acl;

    CatalogEndpoints(Registry registry, ObjectMapper mapper, Acl acl) {
        this.registry = registry;
        this.mapper = mapper;
        this.acl = acl;
    }

    void register(Context ctx) {
        CatalogRegisterBody body = JsonBody.read(mapper, ctx.body(), CatalogRegisterBody.class);
        ServiceInstance instance = Registrations.fromCatalog(body, RequestParams.namespace(ctx));
        acl.requireWriteToRegister(ctx, instance);
        registry.register(instance);
        ctx.json(true);
    }

    void deregister(Context ctx) {
        CatalogDeregisterBody body = JsonBody.read(mapper, ctx.body(), CatalogDeregisterBody.class);
        if (body.node() == null || body.node().isBlank()) {
            throw new MissingFieldException("Node is required: the node whose service or check is removed");
        }
        String namespace = body.namespace() == null || body.namespace().isBlank()
                ? RequestParams.namespace(ctx) : body.namespace();
        acl.of(ctx);
        try {
            if (body.checkId() != null && !body.checkId().isBlank()) {
                acl.requireWriteOnCheck(ctx, namespace, body.checkId());
                registry.removeCheck(namespace, body.checkId());
            } else if (body.serviceId() != null && !body.serviceId().isBlank()) {
                acl.requireWriteOnInstance(ctx, namespace, body.serviceId());
                registry.deregister(namespace, body.serviceId());
            } else {
                deregisterNode(ctx, namespace, body.node());
            }
        } catch (UnknownInstanceException | UnknownCheckException alreadyGone) {
            // Consul answers true for what is not there; so does Meridian.
        }
        ctx.json(true);
    }

    /** Removes every instance registered for the node; the token must be able to write all of them. */
    private void deregisterNode(Context ctx, String namespace, String node) {
        List<InstanceEntry> onNode = registry.instances(namespace).stream()
                .filter(entry -> entry.instance().node().equals(node)).toList();
        onNode.forEach(entry -> acl.requireWrite(ctx, namespace, entry.instance().service()));
        for (InstanceEntry entry : onNode) {
            try {
                registry.deregister(namespace, entry.instance().id());
            } catch (UnknownInstanceException alreadyGone) {
                // Removed meanwhile.
            }
        }
    }
}
