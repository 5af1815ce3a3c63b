package io.meridian.http.wire;

import io.meridian.registry.Check;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response shapes of Consul's API, field for field as Consul names them, built from registry entries.
 * Every node of Meridian answers as a Consul node named after it; an instance's node is the Meridian node it
 * registered through.
 */
public final class ConsulShapes {

    /** The Consul version Meridian's API follows, as agents report theirs. */
    public static final String CONSUL_VERSION = "1.17.0";

    private final String datacenter;

    public ConsulShapes(String datacenter) {
        this.datacenter = datacenter;
    }

    /** One element of {@code /v1/health/service/:name}: {@code {Node, Service, Checks}}. */
    public Map<String, Object> healthEntry(InstanceEntry entry) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("Node", node(entry));
        shape.put("Service", agentService(entry));
        shape.put("Checks", entry.instance().checks().stream().map(check -> check(entry, check)).toList());
        return shape;
    }

    /** One element of {@code /v1/catalog/service/:name}. */
    public Map<String, Object> catalogEntry(InstanceEntry entry) {
        ServiceInstance instance = entry.instance();
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ID", "");
        shape.put("Node", instance.node());
        shape.put("Address", instance.address());
        shape.put("Datacenter", datacenter);
        shape.put("TaggedAddresses", taggedAddresses(instance.address()));
        shape.put("NodeMeta", Map.of());
        shape.put("ServiceKind", "");
        shape.put("ServiceID", instance.id());
        shape.put("ServiceName", instance.service());
        shape.put("ServiceTags", instance.tags());
        shape.put("ServiceAddress", instance.address());
        shape.put("ServiceWeights", weights(instance));
        shape.put("ServiceMeta", instance.meta());
        shape.put("ServicePort", instance.port());
        putPorts(shape, "ServicePorts", instance);
        shape.put("ServiceEnableTagOverride", instance.enableTagOverride());
        shape.put("Namespace", instance.namespace());
        shape.put("CreateIndex", entry.createIndex());
        shape.put("ModifyIndex", entry.modifyIndex());
        return shape;
    }

    /** An instance as {@code /v1/agent/services} and the {@code Service} of a health entry show it. */
    public Map<String, Object> agentService(InstanceEntry entry) {
        ServiceInstance instance = entry.instance();
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ID", instance.id());
        shape.put("Service", instance.service());
        shape.put("Tags", instance.tags());
        shape.put("Address", instance.address());
        shape.put("Meta", instance.meta());
        shape.put("Port", instance.port());
        putPorts(shape, "Ports", instance);
        shape.put("Weights", weights(instance));
        shape.put("EnableTagOverride", instance.enableTagOverride());
        shape.put("Datacenter", datacenter);
        shape.put("Namespace", instance.namespace());
        shape.put("CreateIndex", entry.createIndex());
        shape.put("ModifyIndex", entry.modifyIndex());
        return shape;
    }

    /** Consul 1.22's named ports, only for an instance that has them: the shapes of others stay as they were. */
    private static void putPorts(Map<String, Object> shape, String field, ServiceInstance instance) {
        if (!instance.ports().isEmpty()) {
            shape.put(field, instance.ports().stream().map(port -> {
                Map<String, Object> named = new LinkedHashMap<>();
                named.put("Name", port.name());
                named.put("Port", port.port());
                named.put("Default", port.isDefault());
                return named;
            }).toList());
        }
    }

    private Map<String, Object> node(InstanceEntry entry) {
        return node(entry.instance().node(), entry.instance().address(), entry.createIndex(), entry.modifyIndex());
    }

    /** A node as {@code /v1/catalog/nodes} and the {@code Node} of a health entry show it. */
    public Map<String, Object> node(String name, String address, long createIndex, long modifyIndex) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ID", "");
        shape.put("Node", name);
        shape.put("Address", address);
        shape.put("Datacenter", datacenter);
        shape.put("TaggedAddresses", taggedAddresses(address));
        shape.put("Meta", Map.of());
        shape.put("CreateIndex", createIndex);
        shape.put("ModifyIndex", modifyIndex);
        return shape;
    }

    /**
     * A running member as {@code /v1/agent/members} shows it: alive ({@code Status} 1), a server if it holds a Raft
     * seat (Consul's {@code role} tag {@code consul}), with the member's Hazelcast port where Consul gives Serf's.
     */
    public Map<String, Object> member(String name, String host, int port, boolean voter) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("role", voter ? "consul" : "node");
        tags.put("dc", datacenter);
        tags.put("port", Integer.toString(port));
        tags.put("build", CONSUL_VERSION + ":meridian");
        tags.put("vsn", "2");
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("Name", name);
        shape.put("Addr", host);
        shape.put("Port", port);
        shape.put("Tags", tags);
        shape.put("Status", 1);
        shape.put("ProtocolMin", 1);
        shape.put("ProtocolMax", 5);
        shape.put("ProtocolCur", 2);
        shape.put("DelegateMin", 2);
        shape.put("DelegateMax", 5);
        shape.put("DelegateCur", 4);
        return shape;
    }

    /**
     * The node-level check Consul keeps for every agent, {@code serfHealth}, as {@code /v1/health/node/:node} shows
     * it for a running member.
     */
    public Map<String, Object> serfHealth(String node, long index) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("Node", node);
        shape.put("CheckID", "serfHealth");
        shape.put("Name", "Serf Health Status");
        shape.put("Status", "passing");
        shape.put("Notes", "");
        shape.put("Output", "Agent alive and reachable");
        shape.put("ServiceID", "");
        shape.put("ServiceName", "");
        shape.put("ServiceTags", List.of());
        shape.put("Type", "");
        shape.put("Definition", Map.of());
        shape.put("CreateIndex", index);
        shape.put("ModifyIndex", index);
        return shape;
    }

    /** A check as the {@code Checks} of a health entry show it: without the output of its last run. */
    public Map<String, Object> check(InstanceEntry entry, Check check) {
        return check(entry, check, "");
    }

    /** A check as {@code /v1/health/checks/:service}, {@code /v1/health/state/:state} and the agent show it. */
    public Map<String, Object> check(InstanceEntry entry, Check check, String output) {
        ServiceInstance instance = entry.instance();
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("Node", instance.node());
        shape.put("CheckID", check.id());
        shape.put("Name", check.name());
        shape.put("Status", check.status().wireName());
        shape.put("Notes", check.notes());
        shape.put("Output", output);
        shape.put("ServiceID", instance.id());
        shape.put("ServiceName", instance.service());
        shape.put("ServiceTags", instance.tags());
        shape.put("Type", check.kind().name().toLowerCase(java.util.Locale.ROOT));
        shape.put("Definition", definition(check));
        shape.put("Namespace", instance.namespace());
        shape.put("CreateIndex", entry.createIndex());
        shape.put("ModifyIndex", entry.modifyIndex());
        return shape;
    }

    private static Map<String, Object> definition(Check check) {
        Map<String, Object> shape = new LinkedHashMap<>();
        switch (check.kind()) {
            case HTTP -> shape.put("HTTP", check.target());
            case TCP -> shape.put("TCP", check.target());
            case GRPC -> shape.put("GRPC", check.target());
            case TTL -> shape.put("TTL", GoDuration.format(check.ttl()));
        }
        if (check.interval() != null) {
            shape.put("Interval", GoDuration.format(check.interval()));
        }
        if (check.timeout() != null) {
            shape.put("Timeout", GoDuration.format(check.timeout()));
        }
        if (check.deregisterCriticalServiceAfter() != null) {
            shape.put("DeregisterCriticalServiceAfter", GoDuration.format(check.deregisterCriticalServiceAfter()));
        }
        return shape;
    }

    /**
     * A node's tagged addresses as Consul gives them: {@code lan} and {@code wan} always (clients such as
     * kiwiproject's consul-client require both), and their {@code _ipv4} or {@code _ipv6} forms for IP addresses.
     */
    private static Map<String, String> taggedAddresses(String address) {
        Map<String, String> tagged = new LinkedHashMap<>();
        tagged.put("lan", address);
        tagged.put("wan", address);
        String family = address.contains(":") ? "_ipv6" : address.matches("[0-9.]+") ? "_ipv4" : null;
        if (family != null) {
            tagged.put("lan" + family, address);
            tagged.put("wan" + family, address);
        }
        return tagged;
    }

    private static Map<String, Object> weights(ServiceInstance instance) {
        return Map.of("Passing", instance.weights().passing(), "Warning", instance.weights().warning());
    }

    /** The services of a catalog as {@code /v1/catalog/services} shows them: name to tags. */
    public static Map<String, List<String>> services(Map<String, ? extends java.util.Collection<String>> tags) {
        Map<String, List<String>> shape = new LinkedHashMap<>();
        tags.forEach((service, serviceTags) -> shape.put(service, List.copyOf(serviceTags)));
        return shape;
    }
}
