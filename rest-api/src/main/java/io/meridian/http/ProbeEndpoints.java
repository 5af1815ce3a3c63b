package io.meridian.http;

import io.javalin.http.Context;
import io.meridian.registry.ClusterStatus;
import io.meridian.registry.Registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The probes a load balancer or Kubernetes asks: {@code GET /livez} answers 200 while the process serves HTTP and its
 * member runs, and 503 once Hazelcast has stopped the member underneath it ({@link ClusterStatus#memberRunning});
 * {@code GET /readyz} answers 200 only while this node serves requests, its reads answer ({@link Registry#readsOpen})
 * and it knows a CP leader, and 503 with the reason once it starts to drain, while it restores its registry from disk
 * or while no leader is known. Neither needs a token or counts against rate limits.
 */
final class ProbeEndpoints {

    private static final Set<String> UNLIMITED = Set.of("/metrics", "/livez", "/readyz");

    private final ClusterStatus cluster;
    private final Registry registry;
    private volatile boolean draining;

    ProbeEndpoints(ClusterStatus cluster, Registry registry) {
        this.cluster = cluster;
        this.registry = registry;
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
        if (!cluster.memberRunning()) {
            failing(ctx, "live", "Hazelcast stopped this node's member; only a restart of the process brings it back");
            return;
        }
        ctx.json(Map.of("live", true));
    }

    void ready(Context ctx) {
        if (draining) {
            notReady(ctx, "shutting down");
            return;
        }
        if (!registry.readsOpen()) {
            notReady(ctx, "restoring the registry from disk");
            return;
        }
        String leader = cluster.leader().orElse(null);
        if (leader == null) {
            notReady(ctx, "no CP leader known");
            return;
        }
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ready", true);
        shape.put("leader", leader);
        ctx.json(shape);
    }

    private static void notReady(Context ctx, String reason) {
        failing(ctx, "ready", reason);
    }

    /** Answers 503 with {@code {"<probe>": false, "reason": ...}}. */
    private static void failing(Context ctx, String probe, String reason) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put(probe, false);
        shape.put("reason", reason);
        ctx.status(503).json(shape);
    }
}
