package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.http.wire.RegisterBody;
import io.meridian.http.wire.Registrations;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceInstance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Consul's {@code /v1/agent} family: register and deregister instances, and describe this node. */
final class AgentEndpoints {

    private final Registry registry;
    private final ObjectMapper mapper;
    private final ConsulShapes shapes;
    private final ApiSettings settings;
    private final Supplier<Map<String, Map<String, Object>>> stats;
    private final Acl acl;

    AgentEndpoints(Registry registry, ObjectMapper mapper, ConsulShapes shapes, ApiSettings settings,
                   Supplier<Map<String, Map<String, Object>>> stats, Acl acl) {
        this.registry = registry;
        this.mapper = mapper;
        this.shapes = shapes;
        this.settings = settings;
        this.stats = stats;
        this.acl = acl;
    }

    void register(Context ctx) {
        RegisterBody body = JsonBody.read(mapper, ctx.body(), RegisterBody.class);
        ServiceInstance instance = Registrations.toInstance(body, RequestParams.namespace(ctx));
        acl.requireWriteToRegister(ctx, instance);
        settings.checkTargets().requireAllowed(instance.checks());
        registry.register(instance);
        ctx.status(200);
    }

    void deregister(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        String instanceId = ctx.pathParam("id");
        acl.requireWriteOnInstance(ctx, namespace, instanceId);
        registry.deregister(namespace, instanceId);
        ctx.status(200);
    }

    /** The instances registered through this node, by id. */
    void services(Context ctx) {
        Map<String, Object> services = new LinkedHashMap<>();
        String namespace = RequestParams.namespace(ctx);
        boolean filtered = false;
        for (InstanceEntry entry : registry.instances(namespace)) {
            if (!entry.instance().node().equals(settings.nodeName())) {
                continue;
            }
            if (acl.canRead(ctx, namespace, entry.instance().service())) {
                services.put(entry.instance().id(), shapes.agentService(entry));
            } else {
                filtered = true;
            }
        }
        ConsulHeaders.filteredByAcls(ctx, filtered);
        ctx.json(services);
    }

    void self(Context ctx) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Datacenter", settings.datacenter());
        config.put("NodeName", settings.nodeName());
        config.put("NodeID", "");
        config.put("Server", true);
        config.put("Version", ConsulShapes.CONSUL_VERSION);
        config.put("Product", "meridian");
        ctx.json(Map.of("Config", config, "Member", Map.of("Name", settings.nodeName()), "Stats", stats.get()));
    }
}
