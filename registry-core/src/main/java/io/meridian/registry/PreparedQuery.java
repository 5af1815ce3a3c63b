package io.meridian.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One of Consul's prepared queries: a stored lookup of a service that clients run by id or name.
 *
 * @param id          a UUID, given when it is created
 * @param name        unique among the cluster's queries, or empty: a query without a name runs only by id
 * @param namespace   the namespace of the service
 * @param service     the service it looks up
 * @param tags        the tags an instance must have; {@code !tag} for one it must not have
 * @param onlyPassing only passing instances, where the default also answers those that warn
 * @param near        {@code _agent} to put the answering node's zone first, or empty
 * @param dnsTtl      the TTL its DNS answers should carry, a Go duration, or empty
 * @param createIndex the index of the change that created it
 * @param modifyIndex the index of the change that last changed it
 */
public record PreparedQuery(String id, String name, String namespace, String service, List<String> tags,
                            boolean onlyPassing, String near, String dnsTtl, long createIndex, long modifyIndex)
        implements Serializable {

    public PreparedQuery {
        Objects.requireNonNull(id, "id");
        name = Objects.requireNonNullElse(name, "");
        namespace = Objects.requireNonNullElse(namespace, ServiceInstance.DEFAULT_NAMESPACE);
        Objects.requireNonNull(service, "service");
        tags = List.copyOf(tags);
        near = Objects.requireNonNullElse(near, "");
        dnsTtl = Objects.requireNonNullElse(dnsTtl, "");
    }

    /** The same query at other indexes. */
    public PreparedQuery at(long created, long modified) {
        return new PreparedQuery(id, name, namespace, service, tags, onlyPassing, near, dnsTtl, created, modified);
    }

    /** Whether the instance passes the query's tags and health. */
    public boolean matches(ServiceInstance instance) {
        HealthStatus health = instance.health();
        if (health == HealthStatus.CRITICAL || onlyPassing && health == HealthStatus.WARNING) {
            return false;
        }
        for (String tag : tags) {
            boolean excluded = tag.startsWith("!");
            String bare = excluded ? tag.substring(1) : tag;
            boolean has = instance.tags().stream().anyMatch(held -> held.equalsIgnoreCase(bare));
            if (has == excluded) {
                return false;
            }
        }
        return true;
    }
}
