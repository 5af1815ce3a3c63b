package io.meridian.node;

import io.meridian.dns.DnsSettings;
import io.meridian.http.AclSettings;
import io.meridian.http.PemFiles;
import io.meridian.http.RateLimits;
import io.meridian.http.wire.GoDuration;
import io.meridian.operator.AutopilotSettings;
import io.meridian.registry.Network;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The settings of one Meridian node. Read from a properties file ({@code meridian.http-port=8500}), each key
 * overridable by an environment variable ({@code MERIDIAN_HTTP_PORT=8500}); see the README for every key.
 *
 * @param clusterName       nodes with the same name form one cluster
 * @param nodeName          this node's name, as Consul clients see it
 * @param bindAddress       the interface Hazelcast and HTTP bind to
 * @param hazelcastPort     the member port (the next free one is taken if it is busy)
 * @param members           {@code host:port} of the members to join (TCP-IP discovery)
 * @param httpPort          the HTTP API port; 0 picks a free one
 * @param dnsPort           the DNS interface's port, UDP and TCP; 0 picks a free one
 * @param datacenter        the datacenter name Consul clients see
 * @param cpMemberCount     members in the CP Subsystem: 3, 5 or 7
 * @param antiEntropyEvery  how often the projection is compared with the committed state
 * @param dns               how the DNS interface answers
 * @param rateLimits        HTTP requests per second per client address
 * @param tls               the PEM certificate and key the HTTP API serves HTTPS with; empty for plain HTTP
 * @param acl               default-allow or default-deny, and the token DNS answers with
 * @param aclBootstrapToken the management token, from configuration; never stored in the cluster
 * @param zone              this node's zone, which lookups with {@code ?near=_agent} put first; empty for none
 * @param kubernetesService the headless Service whose DNS names the members ({@code meridian.join=kubernetes}); empty
 *                          to join the {@code members} list over TCP-IP ({@code meridian.join=tcp-ip}, the default)
 * @param shutdownTimeout   how long a graceful stop may take before the member is terminated
 * @param autopilot         autopilot's settings until an operator changes them through the API
 * @param dataDir           where this node keeps the registry and ACLs on disk; empty for nowhere
 *                          ({@code meridian.data-dir=none}: writes are then acknowledged from memory, and a
 *                          whole-cluster stop loses them)
 * @param checks            which health checks nodes may run
 * @param events            how long change events are kept, and where they are published
 */
public record NodeConfig(String clusterName, String nodeName, String bindAddress, int hazelcastPort,
                         List<String> members, int httpPort, int dnsPort, String datacenter, int cpMemberCount,
                         Duration antiEntropyEvery, DnsSettings dns,
                         RateLimits rateLimits, Optional<PemFiles> tls, AclSettings acl,
                         Optional<String> aclBootstrapToken, Optional<String> zone,
                         Optional<String> kubernetesService, Duration shutdownTimeout, AutopilotSettings autopilot,
                         Optional<Path> dataDir, CheckLimits checks, EventSettings events) {

    /** @throws IllegalArgumentException if the CP member count is not 3, 5 or 7 */
    public NodeConfig {
        if (cpMemberCount != 3 && cpMemberCount != 5 && cpMemberCount != 7) {
            throw new IllegalArgumentException("meridian.cp-member-count must be 3, 5 or 7, not " + cpMemberCount);
        }
    }

    /** The defaults: one node on loopback, expecting two more on the next ports, keeping nothing on disk. */
    public static NodeConfig defaults() {
        return new NodeConfig("meridian", "meridian-1", "127.0.0.1", 5701,
                List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"), 8500, 8600, "dc1", 3,
                Duration.ofSeconds(10), DnsSettings.defaults(), RateLimits.NONE,
                Optional.empty(), AclSettings.ALLOW_ALL, Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(30), AutopilotSettings.DEFAULTS, Optional.empty(), CheckLimits.NODE,
                EventSettings.DEFAULTS);
    }

    /**
     * The defaults, overridden by the file (if given) and then by the environment.
     *
     * @throws IllegalArgumentException naming the key whose value is wrong, or a {@code meridian.*} key in the file
     *                                  that no setting has (a typo would otherwise be ignored in silence)
     */
    public static NodeConfig load(Path file, Map<String, String> environment) throws IOException {
        return load(file, environment, defaults());
    }

    /** As {@link #load}, on the defaults of {@code meridian dev}: checks may reach loopback. */
    public static NodeConfig loadForDev(Path file, Map<String, String> environment) throws IOException {
        return load(file, environment, defaults().withChecks(CheckLimits.DEV));
    }

    private static NodeConfig load(Path file, Map<String, String> environment, NodeConfig base) throws IOException {
        ReadKeys properties = new ReadKeys();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
        }
        Set<String> fromFile = properties.stringPropertyNames();
        environment.forEach((name, value) -> {
            if (name.startsWith("MERIDIAN_")) {
                properties.setProperty("meridian." + name.substring(9).toLowerCase(Locale.ROOT).replace('_', '-'),
                        value);
            }
        });
        NodeConfig config = base.with(properties);
        for (String key : fromFile) {
            if (key.startsWith("meridian.") && !properties.read.contains(key)) {
                throw new IllegalArgumentException("unknown setting " + key + " in " + file);
            }
        }
        return config;
    }

    /** Properties that remember which keys were asked for. */
    private static final class ReadKeys extends Properties {

        private final Set<String> read = new HashSet<>();

        @Override
        public String getProperty(String key) {
            read.add(key);
            return super.getProperty(key);
        }

        @Override
        public String getProperty(String key, String defaultValue) {
            read.add(key);
            return super.getProperty(key, defaultValue);
        }

        @Override
        public synchronized boolean containsKey(Object key) {
            read.add(String.valueOf(key));
            return super.containsKey(key);
        }
    }

    private NodeConfig with(Properties properties) {
        String name = properties.getProperty("meridian.node-name", nodeName);
        return new NodeConfig(
                properties.getProperty("meridian.cluster-name", clusterName),
                name,
                properties.getProperty("meridian.bind-address", bindAddress),
                port(properties, "meridian.hazelcast-port", hazelcastPort),
                properties.containsKey("meridian.members")
                        ? Arrays.stream(properties.getProperty("meridian.members").split(","))
                            .map(String::trim).filter(member -> !member.isEmpty()).toList()
                        : members,
                port(properties, "meridian.http-port", httpPort),
                port(properties, "meridian.dns-port", dnsPort),
                properties.getProperty("meridian.datacenter", datacenter),
                number(properties, "meridian.cp-member-count", cpMemberCount),
                duration(properties, "meridian.anti-entropy-interval", antiEntropyEvery),
                new DnsSettings(
                        properties.getProperty("meridian.dns-domain", dns.domain()),
                        Boolean.parseBoolean(properties.getProperty("meridian.dns-only-passing",
                                String.valueOf(dns.onlyPassing()))),
                        duration(properties, "meridian.dns-ttl", dns.ttl()),
                        properties.containsKey("meridian.dns-service-ttls")
                                ? serviceTtls(properties.getProperty("meridian.dns-service-ttls"))
                                : dns.serviceTtls(),
                        duration(properties, "meridian.dns-soa-min-ttl", dns.soaMinTtl())),
                new RateLimits(number(properties, "meridian.http-read-rate", rateLimits.readsPerSecond()),
                        number(properties, "meridian.http-write-rate", rateLimits.writesPerSecond())),
                tls(properties),
                new AclSettings(aclDefaultDeny(properties), optional(properties, "meridian.acl-dns-token")
                        .or(acl::dnsToken)),
                optional(properties, "meridian.acl-bootstrap-token").or(() -> aclBootstrapToken),
                optional(properties, "meridian.zone").or(() -> zone),
                kubernetesService(properties),
                duration(properties, "meridian.shutdown-timeout", shutdownTimeout),
                new AutopilotSettings(
                        Boolean.parseBoolean(properties.getProperty("meridian.autopilot-cleanup-dead-servers",
                                String.valueOf(autopilot.cleanupDeadServers()))),
                        duration(properties, "meridian.autopilot-last-contact-threshold",
                                autopilot.lastContactThreshold()),
                        number(properties, "meridian.autopilot-max-trailing-logs", (int) autopilot.maxTrailingLogs()),
                        number(properties, "meridian.autopilot-min-quorum", autopilot.minQuorum()),
                        duration(properties, "meridian.autopilot-server-stabilization-time",
                                autopilot.serverStabilizationTime()),
                        duration(properties, "meridian.autopilot-dead-server-threshold",
                                autopilot.deadServerThreshold())),
                dataDir(properties, name),
                checkLimits(properties),
                eventSettings(properties));
    }

    private EventSettings eventSettings(Properties properties) {
        return new EventSettings(number(properties, "meridian.events.keep-count", events.keepCount()),
                duration(properties, "meridian.events.keep-for", events.keepFor()),
                optional(properties, "meridian.events.kafka.bootstrap-servers").or(events::kafkaBootstrap),
                properties.getProperty("meridian.events.kafka.topic", events.kafkaTopic()));
    }

    private CheckLimits checkLimits(Properties properties) {
        return new CheckLimits(
                networks(properties, "meridian.check-allowed-networks", checks.allowedNetworks()),
                networks(properties, "meridian.check-denied-networks", checks.deniedNetworks()),
                properties.containsKey("meridian.check-allowed-methods")
                        ? list(properties.getProperty("meridian.check-allowed-methods"))
                        : checks.addedMethods(),
                number(properties, "meridian.max-checks-per-instance", checks.maxChecksPerInstance()));
    }

    /** A comma-separated list of CIDR blocks; an empty value for none. */
    private static List<Network> networks(Properties properties, String key, List<Network> fallback) {
        if (!properties.containsKey(key)) {
            return fallback;
        }
        try {
            return list(properties.getProperty(key)).stream().map(Network::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** {@code meridian.data-dir}: a directory, {@code none}, or by default {@code ./data/<node-name>}. */
    private static Optional<Path> dataDir(Properties properties, String nodeName) {
        String value = properties.getProperty("meridian.data-dir");
        if (value == null || value.isBlank()) {
            return Optional.of(Path.of("data", nodeName));
        }
        return value.trim().equals("none") ? Optional.empty() : Optional.of(Path.of(value.trim()));
    }

    private Optional<String> kubernetesService(Properties properties) {
        String join = properties.getProperty("meridian.join");
        Optional<String> serviceDns = optional(properties, "meridian.kubernetes-service-dns");
        if (join == null) {
            return kubernetesService;
        }
        return switch (join.trim().toLowerCase(Locale.ROOT)) {
            case "tcp-ip" -> Optional.empty();
            case "kubernetes" -> Optional.of(serviceDns.orElseThrow(() -> new IllegalArgumentException(
                    "meridian.join=kubernetes needs meridian.kubernetes-service-dns,"
                            + " the headless Service's DNS name")));
            default -> throw new IllegalArgumentException("meridian.join must be tcp-ip or kubernetes, not '"
                    + join + "'");
        };
    }

    private boolean aclDefaultDeny(Properties properties) {
        String policy = properties.getProperty("meridian.acl-default-policy");
        if (policy == null) {
            return acl.defaultDeny();
        }
        return switch (policy.trim().toLowerCase(Locale.ROOT)) {
            case "allow" -> false;
            case "deny" -> true;
            default -> throw new IllegalArgumentException("meridian.acl-default-policy must be allow or deny, not '"
                    + policy + "'");
        };
    }

    private static Optional<String> optional(Properties properties, String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::trim).filter(value -> !value.isEmpty());
    }

    private Optional<PemFiles> tls(Properties properties) {
        String certificate = properties.getProperty("meridian.https-cert-file");
        String key = properties.getProperty("meridian.https-key-file");
        if (certificate == null && key == null) {
            return tls;
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("meridian.https-cert-file and meridian.https-key-file go together");
        }
        return Optional.of(new PemFiles(Path.of(certificate.trim()), Path.of(key.trim())));
    }

    private static Duration duration(Properties properties, String key, Duration fallback) {
        String value = properties.getProperty(key);
        return value == null ? fallback : parseDuration(key, value);
    }

    private static Duration parseDuration(String key, String value) {
        try {
            return GoDuration.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 30s, not '" + value + "'");
        }
    }

    /** {@code web=30s,db=5s}: record TTLs by service name. */
    private static Map<String, Duration> serviceTtls(String value) {
        Map<String, Duration> ttls = new HashMap<>();
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException("meridian.dns-service-ttls must be name=duration pairs separated"
                        + " by commas, not '" + value + "'");
            }
            ttls.put(parts[0].trim(), parseDuration("meridian.dns-service-ttls", parts[1]));
        }
        return ttls;
    }

    /** This configuration with another HTTP port. */
    public NodeConfig withHttpPort(int port) {
        return new NodeConfig(clusterName, nodeName, bindAddress, hazelcastPort, members, port, dnsPort, datacenter,
                cpMemberCount, antiEntropyEvery, dns, rateLimits, tls, acl, aclBootstrapToken, zone, kubernetesService,
                shutdownTimeout, autopilot, dataDir, checks, events);
    }

    /** This configuration for another node of the same cluster. */
    public NodeConfig withNode(String name, int memberPort) {
        return new NodeConfig(clusterName, name, bindAddress, memberPort, members, httpPort, dnsPort, datacenter,
                cpMemberCount, antiEntropyEvery, dns, rateLimits, tls, acl, aclBootstrapToken, zone, kubernetesService,
                shutdownTimeout, autopilot, dataDir, checks, events);
    }

    /** This configuration with other limits on checks. */
    public NodeConfig withChecks(CheckLimits limits) {
        return new NodeConfig(clusterName, nodeName, bindAddress, hazelcastPort, members, httpPort, dnsPort, datacenter,
                cpMemberCount, antiEntropyEvery, dns, rateLimits, tls, acl, aclBootstrapToken, zone, kubernetesService,
                shutdownTimeout, autopilot, dataDir, limits, events);
    }

    /** This configuration with other autopilot settings. */
    public NodeConfig withAutopilot(AutopilotSettings settings) {
        return new NodeConfig(clusterName, nodeName, bindAddress, hazelcastPort, members, httpPort, dnsPort, datacenter,
                cpMemberCount, antiEntropyEvery, dns, rateLimits, tls, acl, aclBootstrapToken, zone, kubernetesService,
                shutdownTimeout, settings, dataDir, checks, events);
    }

    /** This configuration keeping its data in another directory, or nowhere. */
    public NodeConfig withDataDir(Optional<Path> directory) {
        return new NodeConfig(clusterName, nodeName, bindAddress, hazelcastPort, members, httpPort, dnsPort, datacenter,
                cpMemberCount, antiEntropyEvery, dns, rateLimits, tls, acl, aclBootstrapToken, zone, kubernetesService,
                shutdownTimeout, autopilot, directory, checks, events);
    }

    /** This configuration with other event settings. */
    public NodeConfig withEvents(EventSettings settings) {
        return new NodeConfig(clusterName, nodeName, bindAddress, hazelcastPort, members, httpPort, dnsPort, datacenter,
                cpMemberCount, antiEntropyEvery, dns, rateLimits, tls, acl, aclBootstrapToken, zone, kubernetesService,
                shutdownTimeout, autopilot, dataDir, checks, settings);
    }

    private static int port(Properties properties, String key, int fallback) {
        int port = number(properties, key, fallback);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(key + " must be a port from 0 to 65535, not " + port);
        }
        return port;
    }

    private static int number(Properties properties, String key, int fallback) {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }
}
