package io.meridian.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One registered instance of a service, as its owner described it. Immutable; build a new one to change it.
 *
 * @param namespace         the environment or tenant it belongs to ({@code default} unless given)
 * @param service           the service name, a DNS label
 * @param id                unique within the namespace; registering the same id again replaces the instance
 * @param address           host name or IP address; empty means the node's address
 * @param port              1-65535, or 0 when the instance has no port
 * @param tags              free-form tags, in the order given
 * @param meta              key/value metadata (version, region, weight, ...)
 * @param weights           load-balancing weights
 * @param enableTagOverride Consul's flag, kept for compatibility
 * @param checks            the instance's health checks with their current status
 * @param node              the name of the Meridian node the instance registered through
 */
public record ServiceInstance(
        String namespace,
        String service,
        String id,
        String address,
        int port,
        List<String> tags,
        Map<String, String> meta,
        Weights weights,
        boolean enableTagOverride,
        List<Check> checks,
        String node) implements Serializable {

    /** The namespace used when a request names none. */
    public static final String DEFAULT_NAMESPACE = "default";

    public ServiceInstance {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(id, "id");
        address = address == null ? "" : address;
        tags = tags == null ? List.of() : List.copyOf(tags);
        meta = meta == null ? Map.of() : Map.copyOf(meta);
        weights = weights == null ? Weights.DEFAULT : weights;
        checks = checks == null ? List.of() : List.copyOf(checks);
        node = node == null ? "" : node;
    }

    /** This instance with other checks. */
    public ServiceInstance withChecks(List<Check> newChecks) {
        return new ServiceInstance(namespace, service, id, address, port, tags, meta, weights, enableTagOverride,
                newChecks, node);
    }

    /** This instance as registered through the named node. */
    public ServiceInstance withNode(String newNode) {
        return new ServiceInstance(namespace, service, id, address, port, tags, meta, weights, enableTagOverride,
                checks, newNode);
    }

    /** The aggregated health: the worst status of its checks, or passing when it has none. */
    public HealthStatus health() {
        HealthStatus health = HealthStatus.PASSING;
        for (Check check : checks) {
            health = health.worst(check.status());
        }
        return health;
    }
}
