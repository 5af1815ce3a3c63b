package io.meridian.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * @param ports             its named ports (Consul 1.22's {@code Ports}); empty for an instance with one port or none
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
        String node,
        List<NamedPort> ports) implements Serializable {

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
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** An instance without named ports. */
    public ServiceInstance(String namespace, String service, String id, String address, int port, List<String> tags,
                           Map<String, String> meta, Weights weights, boolean enableTagOverride, List<Check> checks,
                           String node) {
        this(namespace, service, id, address, port, tags, meta, weights, enableTagOverride, checks, node, List.of());
    }

    /** The port named {@code name}, ignoring case as DNS does, if the instance has one. */
    public Optional<NamedPort> namedPort(String name) {
        return ports.stream().filter(named -> named.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * A builder for an instance of {@code service} with the id {@code id}, in the {@code default} namespace, with no
     * address, port, tags, meta, checks or node and the default weights until told otherwise.
     */
    public static Builder builder(String service, String id) {
        return new Builder(service, id);
    }

    /** Builds a {@link ServiceInstance} field by field; {@link #build()} checks nothing more than the constructor. */
    public static final class Builder {
        private final String service;
        private final String id;
        private String namespace = DEFAULT_NAMESPACE;
        private String address = "";
        private int port;
        private List<String> tags = List.of();
        private Map<String, String> meta = Map.of();
        private Weights weights = Weights.DEFAULT;
        private boolean enableTagOverride;
        private List<Check> checks = List.of();
        private String node = "";
        private List<NamedPort> ports = List.of();

        private Builder(String service, String id) {
            this.service = service;
            this.id = id;
        }

        public Builder namespace(String value) {
            this.namespace = value;
            return this;
        }

        public Builder address(String value) {
            this.address = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder tags(String... values) {
            return tags(List.of(values));
        }

        public Builder tags(List<String> values) {
            this.tags = values;
            return this;
        }

        public Builder meta(Map<String, String> values) {
            this.meta = values;
            return this;
        }

        public Builder weights(Weights value) {
            this.weights = value;
            return this;
        }

        public Builder enableTagOverride(boolean value) {
            this.enableTagOverride = value;
            return this;
        }

        public Builder checks(List<Check> values) {
            this.checks = values;
            return this;
        }

        public Builder node(String value) {
            this.node = value;
            return this;
        }

        public Builder ports(List<NamedPort> values) {
            this.ports = values;
            return this;
        }

        public ServiceInstance build() {
            return new ServiceInstance(namespace, service, id, address, port, tags, meta, weights, enableTagOverride,
                    checks, node, ports);
        }
    }

    /** This instance in another namespace. */
    public ServiceInstance inNamespace(String newNamespace) {
        return new ServiceInstance(newNamespace, service, id, address, port, tags, meta, weights, enableTagOverride,
                checks, node, ports);
    }

    /** This instance with other checks. */
    public ServiceInstance withChecks(List<Check> newChecks) {
        return new ServiceInstance(namespace, service, id, address, port, tags, meta, weights, enableTagOverride,
                newChecks, node, ports);
    }

    /** This instance as registered through the named node. */
    public ServiceInstance withNode(String newNode) {
        return new ServiceInstance(namespace, service, id, address, port, tags, meta, weights, enableTagOverride,
                checks, newNode, ports);
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
