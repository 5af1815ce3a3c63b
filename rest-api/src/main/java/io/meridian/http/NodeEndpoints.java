package io.meridian.http;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.registry.ClusterStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Consul's node endpoints: {@code /v1/catalog/datacenters}, {@code /v1/agent/members}, {@code /v1/catalog/nodes},
 * {@code /v1/catalog/node/:node} and {@code /v1/catalog/node-services/:node}. The catalog's node reads block on the
 * namespace's index, as Consul's block on the catalog's. A node the catalog does not hold answers as Consul's does:
 * {@code null} from {@code /v1/catalog/node/:node}, and a {@code null} node with no services from
 * {@code /v1/catalog/node-services/:node}, both with status 200.
 */
final class NodeEndpoints {

    private final Registry registry;
    private final ClusterStatus cluster;
    private final ConsulShapes shapes;
    private final NamespaceReads reads;
    private final Acl acl;
    private final String datacenter;

    NodeEndpoints(Registry registry, ClusterStatus cluster, ConsulShapes shapes, NamespaceReads reads, Acl acl,
                  String datacenter) {
        this.registry = registry;
        this.cluster = cluster;
        this.shapes = shapes;
        this.reads = reads;
        this.acl = acl;
        this.datacenter = datacenter;
    }

    /** The one datacenter a Meridian cluster is. */
    void datacenters(Context ctx) {
        ctx.json(List.of(datacenter));
    }

    /** The running members, as this node last saw them; those with a Raft seat are servers. */
    void members(Context ctx) {
        Set<String> voters = Set.copyOf(cluster.peers());
        ctx.json(cluster.members().entrySet().stream().map(member -> {
            String hostPort = member.getKey();
            int colon = hostPort.lastIndexOf(':');
            return shapes.member(member.getValue(), hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)), voters.contains(hostPort));
        }).toList());
    }

    void nodes(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        reads.answer(ctx, namespace, catalog -> ctx.json(nodes(ctx, namespace).values().stream()
                .map(this::shape).toList()));
    }

    /** {@code {Node, Services}} with the services by instance id; {@code null} for a node the catalog lacks. */
    void node(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        reads.answer(ctx, namespace, catalog -> {
            CatalogNode node = nodes(ctx, namespace).get(ctx.pathParam("node"));
            if (node == null) {
                ctx.contentType(ContentType.APPLICATION_JSON).result("null");
                return;
            }
            Map<String, Object> services = new LinkedHashMap<>();
            node.instances().forEach(entry -> services.put(entry.instance().id(), shapes.agentService(entry)));
            ctx.json(Map.of("Node", shape(node), "Services", services));
        });
    }

    /** {@code {Node, Services}} with the services as a list. */
    void nodeServices(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        reads.answer(ctx, namespace, catalog -> {
            CatalogNode node = nodes(ctx, namespace).get(ctx.pathParam("node"));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("Node", node == null ? null : shape(node));
            answer.put("Services", node == null ? List.of()
                    : node.instances().stream().map(shapes::agentService).toList());
            ctx.json(answer);
        });
    }

    /** The namespace's nodes with the instances the request may read, saying so if its token hid any. */
    private SortedMap<String, CatalogNode> nodes(Context ctx, String namespace) {
        List<InstanceEntry> all = registry.instances(namespace);
        List<InstanceEntry> readable = all.stream()
                .filter(entry -> acl.canRead(ctx, namespace, entry.instance().service())).toList();
        ConsulHeaders.filteredByAcls(ctx, readable.size() < all.size());
        return CatalogNode.of(cluster.members(), readable);
    }

    private Map<String, Object> shape(CatalogNode node) {
        return shapes.node(node.name(), node.address(), node.createIndex(), node.modifyIndex());
    }
}
