package io.meridian.node;

import io.meridian.registry.CheckTargetRules;
import io.meridian.registry.Network;
import io.meridian.registry.grid.RegistrySettings;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What checks registered through a node may do, as configured: {@code meridian.check-allowed-networks},
 * {@code meridian.check-denied-networks}, {@code meridian.check-allowed-methods} and
 * {@code meridian.max-checks-per-instance}.
 *
 * @param allowedNetworks      the blocks checks may reach; empty for every block not denied
 * @param deniedNetworks       the blocks checks may not reach
 * @param addedMethods         HTTP methods allowed besides GET and HEAD
 * @param maxChecksPerInstance the most checks an instance may have
 */
public record CheckLimits(List<Network> allowedNetworks, List<Network> deniedNetworks, List<String> addedMethods,
                          int maxChecksPerInstance) {

    /** {@code meridian node}: link-local and loopback denied, GET and HEAD, 16 checks. */
    public static final CheckLimits NODE = new CheckLimits(List.of(), CheckTargetRules.nodeDefaultDenied(), List.of(),
            RegistrySettings.DEFAULT_MAX_CHECKS_PER_INSTANCE);
    /** {@code meridian dev}: as a node, with loopback allowed, since everything of a dev cluster runs there. */
    public static final CheckLimits DEV = new CheckLimits(List.of(), CheckTargetRules.LINK_LOCAL, List.of(),
            RegistrySettings.DEFAULT_MAX_CHECKS_PER_INSTANCE);

    public CheckLimits {
        allowedNetworks = List.copyOf(allowedNetworks);
        deniedNetworks = List.copyOf(deniedNetworks);
        addedMethods = List.copyOf(addedMethods);
        if (maxChecksPerInstance < 1) {
            throw new IllegalArgumentException("meridian.max-checks-per-instance must be positive, not "
                    + maxChecksPerInstance);
        }
    }

    /**
     * The rules of a node: these limits, with the node's own ports (its member list's, its HTTP and DNS ports) on its
     * members' hosts and this machine's addresses refused. A port configured as 0 is chosen at start and not known
     * here; nodes in production name their ports.
     */
    public CheckTargetRules rules(NodeConfig node) {
        Set<InetAddress> hosts = new LinkedHashSet<>(localAddresses());
        Set<Integer> ports = new LinkedHashSet<>(List.of(node.hazelcastPort(), node.httpPort(), node.dnsPort()));
        List<String> endpoints = new ArrayList<>(node.members());
        endpoints.add(node.bindAddress() + ":" + node.hazelcastPort());
        for (String endpoint : endpoints) {
            int colon = endpoint.lastIndexOf(':');
            String host = colon < 0 ? endpoint : endpoint.substring(0, colon);
            if (colon >= 0) {
                ports.add(Integer.parseInt(endpoint.substring(colon + 1).trim()));
            }
            try {
                hosts.addAll(List.of(InetAddress.getAllByName(host.replace("[", "").replace("]", ""))));
            } catch (UnknownHostException unresolved) {
                // a member not in DNS yet (a pod still starting): its port is still refused on loopback
            }
        }
        ports.remove(0);
        return new CheckTargetRules(allowedNetworks, deniedNetworks, addedMethods, hosts, ports);
    }

    private static List<InetAddress> localAddresses() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(NetworkInterface::inetAddresses).toList();
        } catch (SocketException e) {
            return List.of();
        }
    }
}
