package io.meridian.http;

import io.javalin.http.Context;
import io.meridian.registry.ClusterStatus;

import java.util.function.BiConsumer;

/** The headers Consul puts on every read: the index of the answer and what the node knows of the leader. */
final class ConsulHeaders {

    private final ClusterStatus cluster;

    ConsulHeaders(ClusterStatus cluster) {
        this.cluster = cluster;
    }

    void set(Context ctx, long index) {
        set(ctx::header, index);
    }

    /** As {@link #set(Context, long)}, through whatever sets a header of the response. */
    void set(BiConsumer<String, String> header, long index) {
        header.accept("X-Consul-Index", Long.toString(index));
        header.accept("X-Consul-KnownLeader", Boolean.toString(cluster.leader().isPresent()));
        header.accept("X-Consul-LastContact", Long.toString(cluster.lastContact().toMillis()));
    }

    /** Says that the request's token left results out, as Consul's header does; says nothing if it left none out. */
    static void filteredByAcls(Context ctx, boolean filtered) {
        if (filtered) {
            ctx.header("X-Consul-Results-Filtered-By-ACLs", "true");
        }
    }
}
