package io.meridian.http;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.meridian.registry.ClusterStatus;

/** Consul's {@code /v1/status} family: the Raft leader and peers. */
final class StatusEndpoints {

    private final ClusterStatus cluster;

    StatusEndpoints(ClusterStatus cluster) {
        this.cluster = cluster;
    }

    /** The leader's address as a JSON string; an empty string while there is none, as Consul answers. */
    void leader(Context ctx) {
        ctx.contentType(ContentType.APPLICATION_JSON).result('"' + cluster.leader().orElse("") + '"');
    }

    void peers(Context ctx) {
        ctx.json(cluster.peers());
    }
}
