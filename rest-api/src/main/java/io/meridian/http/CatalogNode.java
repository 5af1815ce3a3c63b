package io.meridian.http;

import io.meridian.registry.InstanceEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One node of a namespace's catalog, as Consul's node endpoints show it: a running member under its node name, or a
 * node that instances name. An instance registered through a member names that member's node; a third-party
 * registration ({@code /v1/catalog/register}) may name any node.
 *
 * @param name      the node's name
 * @param address   a running member's host; for any other node, the address of its first instance by id
 * @param member    whether a running member carries the name
 * @param instances the node's instances the request may read, ordered by id
 */
record CatalogNode(String name, String address, boolean member, List<InstanceEntry> instances) {

    private static final Comparator<InstanceEntry> BY_ID = Comparator.comparing(entry -> entry.instance().id());

    CatalogNode {
        instances = instances.stream().sorted(BY_ID).toList();
    }

    /**
     * The catalog's nodes by name: every running member (from {@code host:port} to node name, as
     * {@link io.meridian.registry.ClusterStatus#members()} gives them) and every node a readable instance names.
     */
    static SortedMap<String, CatalogNode> of(Map<String, String> members, List<InstanceEntry> readable) {
        Map<String, List<InstanceEntry>> byNode = new TreeMap<>();
        readable.forEach(entry -> byNode.computeIfAbsent(entry.instance().node(), node -> new ArrayList<>())
                .add(entry));
        Map<String, String> memberHosts = new TreeMap<>();
        members.forEach((hostPort, node) -> memberHosts.put(node, hostPort.substring(0, hostPort.lastIndexOf(':'))));
        SortedMap<String, CatalogNode> nodes = new TreeMap<>();
        memberHosts.forEach((node, host) -> nodes.put(node,
                new CatalogNode(node, host, true, byNode.getOrDefault(node, List.of()))));
        byNode.forEach((node, instances) -> nodes.computeIfAbsent(node, name -> new CatalogNode(name,
                instances.stream().min(BY_ID).orElseThrow().instance().address(), false, instances)));
        return nodes;
    }

    /** The lowest create index of its instances; 1 for a member with none, as for anything never written. */
    long createIndex() {
        return instances.stream().mapToLong(InstanceEntry::createIndex).min().orElse(1);
    }

    /** The highest modify index of its instances; 1 for a member with none. */
    long modifyIndex() {
        return instances.stream().mapToLong(InstanceEntry::modifyIndex).max().orElse(1);
    }
}
