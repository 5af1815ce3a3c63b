package io.meridian.node;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.meridian.health.check.Probers;
import io.meridian.health.schedule.CheckScheduler;
import io.meridian.health.schedule.DistributedFailureReports;
import io.meridian.dns.DnsAnswerer;
import io.meridian.dns.DnsServer;
import io.meridian.acl.AclStore;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.http.ApiBackends;
import io.meridian.metrics.RegistryMeters;
import io.meridian.registry.ServiceInstance;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.meridian.http.ApiSettings;
import io.meridian.http.ConsulHttpServer;
import io.meridian.registry.ClusterStatus;
import io.meridian.registry.grid.AntiEntropy;
import io.meridian.registry.grid.GridNames;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One Meridian node: a Hazelcast member holding its share of the registry, the health checks of the instances it
 * owns, its anti-entropy schedule, and (once {@link #serveHttp()} is called) the HTTP API. {@link #close()} stops it abruptly, as Hazelcast's graceful shutdown with the CP
 * Subsystem can hang for minutes; the committed state lives on in the other members.
 */
public final class MeridianNode implements AutoCloseable {

    /** How often a node looks for checks that moved to or away from it with their partitions. */
    private static final Duration CHECK_RESCAN = Duration.ofSeconds(1);

    private final NodeConfig config;
    private final HazelcastInstance member;
    private final HazelcastRegistry registry;
    private final ClusterStatus status;
    private final AntiEntropy antiEntropy;
    private final Probers probers;
    private final CheckScheduler checks;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AclStore acls;
    private ConsulHttpServer http;
    private int httpPort = -1;
    private DnsServer dns;

    private MeridianNode(NodeConfig config, HazelcastInstance member) {
        this.config = config;
        this.member = member;
        this.registry = new HazelcastRegistry(member, RegistrySettings.defaults(config.nodeName()), Clock.systemUTC());
        this.status = new RaftClusterStatus(member);
        this.antiEntropy = AntiEntropy.start(registry, member, config.antiEntropyEvery());
        this.probers = Probers.standard();
        this.checks = new CheckScheduler(registry, member, probers, Clock.systemUTC()).start(CHECK_RESCAN);
        this.acls = new HazelcastAclStore(member.getCPSubsystem(), config.aclBootstrapToken(),
                RegistrySettings.DEFAULT_WRITE_TIMEOUT);
        registry.observeWrites(new RegistryMeters(metrics, registry, ServiceInstance.DEFAULT_NAMESPACE,
                Clock.systemUTC()));
        CheckMeters.bind(metrics, checks);
    }

    /** Starts the member and joins the cluster; the HTTP API is started separately by {@link #serveHttp()}. */
    public static MeridianNode start(NodeConfig config) {
        return new MeridianNode(config, Hazelcast.newHazelcastInstance(MemberConfigs.member(config)));
    }

    /** Starts the HTTP API on the configured address and port; returns the port it listens on. */
    public int serveHttp() {
        ApiBackends backends = new ApiBackends(registry, status, new DistributedFailureReports(member), this::stats,
                metrics, acls);
        http = new ConsulHttpServer(backends, new ApiSettings(config.datacenter(), config.nodeName(), 64 * 1024,
                Duration.ofMinutes(5), Duration.ofMinutes(10), config.rateLimits(), config.tls(), config.acl(),
                config.zone()));
        httpPort = http.start(config.bindAddress(), config.httpPort());
        return httpPort;
    }

    /**
     * Starts the DNS interface, UDP and TCP, on the configured address and port; returns the port it listens on.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public int serveDns() {
        try {
            dns = DnsServer.start(new DnsAnswerer(registry, config.dns(), config.datacenter(),
                    config.acl().dnsPermissions(acls)), metrics,
                    config.bindAddress(), config.dnsPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve DNS on " + config.bindAddress() + ":" + config.dnsPort(), e);
        }
        return dns.port();
    }

    /** The DNS port, or -1 if this node serves no DNS. */
    public int dnsPort() {
        return dns == null ? -1 : dns.port();
    }

    /**
     * Waits until the CP Subsystem has formed, its group exists and it has a leader.
     *
     * @return the leader's address
     * @throws IllegalStateException if that takes longer than the timeout
     */
    public String awaitLeader(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        member.getCPSubsystem().getCPSubsystemManagementService()
                .awaitUntilDiscoveryCompleted(timeout.toMillis(), TimeUnit.MILLISECONDS);
        // The first CP operation creates the group that holds the registry.
        member.getCPSubsystem().getAtomicReference(GridNames.SHARD_PREFIX + 0).getAsync()
                .toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> leader = status.leader();
            if (leader.isPresent()) {
                return leader.get();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the CP Subsystem elected no leader within " + timeout.toSeconds() + " s");
    }

    public HazelcastInstance member() {
        return member;
    }

    public HazelcastRegistry registry() {
        return registry;
    }

    /** What {@code /v1/agent/self} shows as {@code Stats}: this member's health checking, safety valve included. */
    private Map<String, Map<String, Object>> stats() {
        return Map.of("health", Map.of(
                "checks_running", checks.runningChecks().size(),
                "checks_completed", checks.completedRuns(),
                "held_failures", checks.heldFailures(),
                "safety_valve_open", checks.isValveOpen()));
    }

    /** The health checks this node runs. */
    public CheckScheduler checks() {
        return checks;
    }

    public ClusterStatus status() {
        return status;
    }

    /** The HTTP port, or -1 if this node serves no HTTP. */
    public int httpPort() {
        return httpPort;
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (dns != null) {
            dns.close();
        }
        checks.close();
        probers.close();
        antiEntropy.close();
        registry.close();
        member.getLifecycleService().terminate();
    }
}
