package io.meridian.http;

import io.javalin.http.Context;
import io.meridian.registry.ClusterStatus;

/** The headers Consul puts on every read: the index of the answer and what the node knows of the leader. */
final class ConsulHeaders {

    private final ClusterStatus cluster;

    ConsulHeaders(ClusterStatus cluster) {
        this.cluster = cluster;
    }

    void set(Context ctx, long index) {
        ctx.header("X-Consul-Index", Long.toString(index));
        ctx.header("X-Consul-KnownLeader", Boolean.toString(cluster.leader().isPresent()));
        ctx.header("X-Consul-LastContact", Long.toString(cluster.lastContact().toMillis()));
    }
}
