package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.meridian.http.wire.CatalogDeregisterBody;
import io.meridian.http.wire.CatalogRegisterBody;
import io.meridian.http.wire.MissingFieldException;
import io.meridian.http.wire.Registrations;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.UnknownCheckException;
import io.meridian.registry.UnknownInstanceException;

/**
 * Third-party registration, {@code PUT /v1/catalog/register} and {@code PUT /v1/catalog/deregister}: registrators
 * acting for services on nodes they watch. Both answer {@code true}, as Consul does; deregistering what is already
 * gone is not an error, so a registrator may repeat itself.
 */
final class CatalogEndpoints {

    private final Registry registry;
    private final ObjectMapper mapper;

    CatalogEndpoints(Registry registry, ObjectMapper mapper) {
        this.registry = registry;
        this.mapper = mapper;
    }

    void register(Context ctx) {
        CatalogRegisterBody body = JsonBody.read(mapper, ctx.body(), CatalogRegisterBody.class);
        registry.register(Registrations.fromCatalog(body, RequestParams.namespace(ctx)));
        ctx.json(true);
    }

    void deregister(Context ctx) {
        CatalogDeregisterBody body = JsonBody.read(mapper, ctx.body(), CatalogDeregisterBody.class);
        if (body.node() == null || body.node().isBlank()) {
            throw new MissingFieldException("Node is required: the node whose service or check is removed");
        }
        String namespace = body.namespace() == null || body.namespace().isBlank()
                ? RequestParams.namespace(ctx) : body.namespace();
        try {
            if (body.checkId() != null && !body.checkId().isBlank()) {
                registry.removeCheck(namespace, body.checkId());
            } else if (body.serviceId() != null && !body.serviceId().isBlank()) {
                registry.deregister(namespace, body.serviceId());
            } else {
                deregisterNode(namespace, body.node());
            }
        } catch (UnknownInstanceException | UnknownCheckException alreadyGone) {
            // Consul answers true for what is not there; so does Meridian.
        }
        ctx.json(true);
    }

    /** Removes every instance registered for the node. */
    private void deregisterNode(String namespace, String node) {
        for (InstanceEntry entry : registry.instances(namespace)) {
            if (entry.instance().node().equals(node)) {
                try {
                    registry.deregister(namespace, entry.instance().id());
                } catch (UnknownInstanceException alreadyGone) {
                    // Removed meanwhile.
                }
            }
        }
    }
}
