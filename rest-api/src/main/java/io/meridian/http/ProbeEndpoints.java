package io.meridian.http;

import io.javalin.http.Context;
import io.meridian.registry.ClusterStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The probes a load balancer or Kubernetes asks: {@code GET /livez} answers 200 while the process serves HTTP;
 * {@code GET /readyz} answers 200 only while this node serves requests and knows a CP leader, and 503 with the
 * reason once it starts to drain or while no leader is known. Neither needs a token or counts against rate limits.
 */
final class ProbeEndpoints {

    private static final Set<String> UNLIMITED = Set.of("/metrics", "/livez", "/readyz");

    private final ClusterStatus cluster;
    private volatile boolean draining;

    ProbeEndpoints(ClusterStatus cluster) {
        this.cluster = cluster;
    }

    /** Whether requests to the path are exempt from rate limits: scrapes and probes. */
    static boolean isUnlimited(String path) {
        return UNLIMITED.contains(path);
    }

    /** From now on {@code /readyz} answers 503: the node is shutting down. */
    void markDraining() {
        draining = true;
    }

    void live(Context ctx) {
        ctx.json(Map.of("live", true));
    }

    void ready(Context ctx) {
        Map<String, Object> shape = new LinkedHashMap<>();
        if (draining) {
            shape.put("ready", false);
            shape.put("reason", "shutting down");
            ctx.status(503).json(shape);
            return;
        }
        String leader = cluster.leader().orElse(null);
        shape.put("ready", leader != null);
        if (leader == null) {
            shape.put("reason", "no CP leader known");
            ctx.status(503);
        } else {
            shape.put("leader", leader);
        }
        ctx.json(shape);
    }
}
