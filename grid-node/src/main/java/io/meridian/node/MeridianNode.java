package io.meridian.node;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.cp.CPMember;
import io.meridian.health.check.Probers;
import io.meridian.health.schedule.CheckScheduler;
import io.meridian.dns.DnsAnswerer;
import io.meridian.dns.DnsServer;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.http.ApiBackends;
import io.meridian.metrics.RegistryMeters;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.durable.DiskJournal;
import io.meridian.registry.grid.DurableValues;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.meridian.http.ApiSettings;
import io.meridian.http.ConsulHttpServer;
import io.meridian.http.wire.ChangeEventShapes;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.registry.CheckTargetRules;
import io.meridian.registry.ClusterStatus;
import io.meridian.registry.Registry;
import io.meridian.operator.RaftOperator;
import io.meridian.operator.ClusterState;
import io.meridian.registry.grid.AntiEntropy;
import io.meridian.registry.grid.CallbackThreads;
import io.meridian.registry.grid.DistributedFailureReports;
import io.meridian.registry.grid.GridNames;
import io.meridian.registry.grid.ChangePublisher;
import io.meridian.registry.grid.HazelcastChangeEvents;
import io.meridian.registry.grid.HazelcastPreparedQueries;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.HazelcastUserEvents;
import io.meridian.registry.grid.MemberTasks;
import io.meridian.registry.grid.RegistrySettings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One Meridian node: a Hazelcast member holding its share of the registry, its journal of the durable state in its
 * data directory (if it has one) and the start-up sync that restores from it, the health checks of the instances it
 * owns, its anti-entropy schedule, its view of the CP Subsystem and the autopilot that keeps the CP group whole, and
 * (once {@link #serveHttp()} and {@link #serveDns()} are called) the HTTP API and DNS. {@link #stop(Duration)} stops it
 * gracefully within a bound; {@link #close()} stops it at once, as a crash would, leaving the committed state to the
 * other members.
 */
public final class MeridianNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeridianNode.class);

    /** How often a node looks for checks that moved to or away from it with their partitions. */
    private static final Duration CHECK_RESCAN = Duration.ofSeconds(1);
    /** How long DNS is given to answer the queries in flight when the node stops serving. */
    private static final Duration DNS_DRAIN = Duration.ofSeconds(1);
    /** The journal segment size past which the writer moves on and full segments are folded into the snapshot. */
    private static final long JOURNAL_SEGMENT_BYTES = 64L << 20;

    private final NodeConfig config;
    private final HazelcastInstance member;
    private final Optional<DiskJournal> journal;
    private final HazelcastRegistry registry;
    private final StartupSync startupSync;
    /** The registry as the HTTP API and DNS read it: no reads until this node's disk has merged in a cold start. */
    private final Registry servedRegistry;
    private final CpObserver observer;
    private final RaftLeaderHint leaderHint;
    private final Autopilot autopilot;
    private final GridRaftOperator operator;
    private final AntiEntropy antiEntropy;
    private final CheckTargetRules checkTargets;
    private final Probers probers;
    private final CheckScheduler checks;
    private final HeapRoom heapRoom;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HazelcastAclStore acls;
    private final HazelcastUserEvents events;
    private final HazelcastPreparedQueries queries;
    private final ChangePublisher changePublisher;
    private final HazelcastChangeEvents changes;
    private final Optional<KafkaEventSink> kafkaSink;
    private final ClusterState durableState;
    private ConsulHttpServer http;
    private int httpPort = -1;
    private DnsServer dns;

    private MeridianNode(NodeConfig config, HazelcastInstance member, MemberTasks tasks,
                         Optional<DiskJournal> journal) {
        this.config = config;
        this.member = member;
        this.journal = journal;
        RegistrySettings defaults = RegistrySettings.defaults(config.nodeName());
        this.registry = new HazelcastRegistry(member, new RegistrySettings(defaults.shardCount(),
                defaults.slicesPerService(), defaults.writeTimeout(), config.nodeName(), journal.isPresent(),
                config.checks().maxChecksPerInstance()),
                Clock.systemUTC());
        this.acls = new HazelcastAclStore(member.getCPSubsystem(), config.aclBootstrapToken(),
                RegistrySettings.DEFAULT_WRITE_TIMEOUT, registry.durableWrites());
        this.queries = new HazelcastPreparedQueries(member.getCPSubsystem(), RegistrySettings.DEFAULT_WRITE_TIMEOUT,
                registry.durableWrites());
        acls.admitWritesBy(registry.fullMembers());
        queries.admitWritesBy(registry.fullMembers());
        this.durableState = new ClusterState(registry, List.of(acls, queries));
        this.startupSync = new StartupSync(registry, durableState, journal, config.nodeName(), config.cpMemberCount())
                .start();
        this.servedRegistry = new ColdStartReads(registry, startupSync::readsOpen);
        this.events = new HazelcastUserEvents(member);
        this.changePublisher = new ChangePublisher(member);
        this.changes = new HazelcastChangeEvents(member);
        AutopilotSettingsStore autopilotSettings = new AutopilotSettingsStore(member, config.autopilot());
        ServerHealthTracker health = new ServerHealthTracker(config.cpMemberCount());
        this.observer = new CpObserver(member, Clock.systemUTC());
        this.autopilot = new Autopilot(member, config.cpMemberCount(), autopilotSettings, Clock.systemUTC());
        this.operator = new GridRaftOperator(member, observer, health, autopilotSettings,
                new MajorityRecovery(member, registry, acls, queries, journal, config.cpMemberCount()));
        observer.onSnapshot(snapshot -> health.observe(snapshot, autopilotSettings.current()));
        observer.onSnapshot(autopilot::offer);
        observer.start();
        this.leaderHint = RaftLeaderHint.start(member);
        this.antiEntropy = AntiEntropy.start(registry, member, config.antiEntropyEvery());
        this.checkTargets = config.checks().rules(config);
        this.probers = Probers.standard(checkTargets, registry.checkRecords(), Clock.systemUTC());
        this.checks = new CheckScheduler(registry, member, tasks, probers, Clock.systemUTC()).start(CHECK_RESCAN);
        registry.observeWrites(new RegistryMeters(metrics, registry, ServiceInstance.DEFAULT_NAMESPACE,
                Clock.systemUTC()));
        this.heapRoom = HeapRoom.ofThisJvm(config.nodeName(), registry.fullMembers()::report).start();
        registry.admitRegistrationsBy(heapRoom);
        CheckMeters.bind(metrics, checks);
        Gauge.builder("meridian.events.queued", changePublisher, ChangePublisher::queued)
                .description("change events waiting to be appended to the stream").register(metrics);
        Gauge.builder("meridian.events.waiting.reads", changes, HazelcastChangeEvents::waitingReads)
                .description("reads of the change stream waiting for its next event").register(metrics);
        FunctionCounter.builder("meridian.events.dropped", changePublisher, ChangePublisher::dropped)
                .description("change events dropped because this member fell too far behind").register(metrics);
        this.kafkaSink = config.events().kafkaBootstrap().map(servers -> new KafkaEventSink(member, changes,
                new ChangeEventShapes(new ConsulShapes(config.datacenter())), config.events(), metrics).start());
    }

    /**
     * Opens the data directory, starts the member and joins the cluster; the HTTP API is started separately by
     * {@link #serveHttp()}. If anything fails after the member started, the member is terminated and the directory
     * released before the failure is thrown.
     *
     * @throws UncheckedIOException       if the data directory cannot be used or holds a damaged snapshot
     * @throws ClusterNotFormedException if Hazelcast stopped the member before the node was built on it (it does when
     *                                   the member's CP discovery fails)
     */
    public static MeridianNode start(NodeConfig config) {
        CallbackThreads.bound();
        Optional<DiskJournal> journal = config.dataDir().map(MeridianNode::openJournal);
        MemberTasks tasks = new MemberTasks();
        HazelcastInstance member;
        try {
            member = Hazelcast.newHazelcastInstance(tasks.installOn(MemberConfigs.member(config, journal)));
        } catch (RuntimeException e) {
            journal.ifPresent(DiskJournal::close);
            throw e;
        }
        try {
            return new MeridianNode(config, member, tasks, journal);
        } catch (RuntimeException e) {
            boolean stoppedByHazelcast = !member.getLifecycleService().isRunning();
            member.getLifecycleService().terminate();
            journal.ifPresent(DiskJournal::close);
            if (stoppedByHazelcast) {
                throw new ClusterNotFormedException("Hazelcast stopped this member while the node was starting on it"
                        + " (its CP discovery fails so when a member leaves before discovery completes)", e);
            }
            throw e;
        }
    }

    private static DiskJournal openJournal(Path directory) {
        try {
            return DiskJournal.open(directory, JOURNAL_SEGMENT_BYTES, DurableValues.JOURNAL);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until this node has seen the cluster take writes: soon after it joins a running cluster, once a majority
     * of members has merged its disk after a cold start.
     *
     * @return false if the timeout ran out first
     */
    public boolean awaitWritesOpen(Duration timeout) throws InterruptedException {
        return startupSync.awaitWritesOpen(timeout);
    }

    /**
     * Waits until the cluster takes writes and this node's data directory holds the cluster's committed state (at once
     * if it keeps none): a member that joined with a stale or empty disk has copied the cluster's state to it.
     *
     * @return false if the timeout ran out first
     */
    public boolean awaitInSync(Duration timeout) throws InterruptedException {
        return startupSync.awaitInSync(timeout);
    }

    /** Starts the HTTP API on the configured address and port; returns the port it listens on. */
    public int serveHttp() {
        ApiBackends backends = new ApiBackends(servedRegistry, observer, new DistributedFailureReports(member),
                this::stats, metrics, acls, operator, durableState, events, queries, changes);
        http = new ConsulHttpServer(backends, new ApiSettings(config.datacenter(), config.nodeName(), 64 * 1024,
                Duration.ofMinutes(5), Duration.ofMinutes(10), config.rateLimits(), config.tls(), config.acl(),
                config.zone(), checkTargets));
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
            dns = DnsServer.start(new DnsAnswerer(servedRegistry, config.dns(), config.datacenter(),
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
     * Waits until the CP Subsystem has formed, its group exists and it has a leader, whether or not this member holds a
     * seat in it. The bound holds even while Hazelcast's own calls would block longer (creating the group retries for
     * minutes without a majority).
     *
     * @return the leader's address
     * @throws ClusterNotFormedException if that takes longer than the timeout, or if Hazelcast stops this member
     *                                   meanwhile (it does when the member's CP discovery fails)
     */
    public String awaitLeader(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        CompletableFuture<Void> groupCreated = null;
        while (true) {
            if (!member.getLifecycleService().isRunning()) {
                throw new ClusterNotFormedException("Hazelcast stopped this member: its CP discovery failed, as it"
                        + " does when a member leaves the cluster before discovery completes", true);
            }
            boolean discovered;
            int present;
            try {
                discovered = member.getCPSubsystem().getCPSubsystemManagementService().isDiscoveryCompleted();
                present = member.getCluster().getMembers().size();
            } catch (HazelcastInstanceNotActiveException stopping) {
                Thread.sleep(200); // the next round sees it stopped
                continue;
            }
            if (!Instant.now().isBefore(deadline)) {
                throw new ClusterNotFormedException("the CP Subsystem elected no leader within "
                        + timeout.toSeconds() + " s; this member sees " + present + " of the "
                        + config.cpMemberCount() + " members it needs and has " + (discovered ? "" : "not ")
                        + "completed its CP discovery", !discovered && present >= config.cpMemberCount());
            }
            if (groupCreated == null || groupCreated.isCompletedExceptionally()) {
                if (discovered) {
                    groupCreated = CompletableFuture.runAsync(this::touchRegistryGroup, MeridianNode::runOnDaemon);
                }
            } else if (groupCreated.isDone()) {
                Optional<String> leader = observer.leader();
                if (leader.isPresent()) {
                    return leader.get();
                }
            }
            Thread.sleep(200);
        }
    }

    /**
     * The first CP operation creates the group that holds the registry. Right after joining, the partition table may
     * not have reached this member yet (WrongTargetException): {@link #awaitLeader} then tries again.
     */
    private void touchRegistryGroup() {
        member.getCPSubsystem().getAtomicReference(GridNames.SHARD_PREFIX + 0).getAsync();
    }

    /** Runs a call that may block past its caller's bound on a daemon thread; the call ends when the member does. */
    private static void runOnDaemon(Runnable call) {
        Thread thread = new Thread(call, "meridian-await-cp-group");
        thread.setDaemon(true);
        thread.start();
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
        return observer;
    }

    /** The operator API's view of the CP Subsystem from this node. */
    public RaftOperator operator() {
        return operator;
    }

    /** The HTTP port, or -1 if this node serves no HTTP. */
    public int httpPort() {
        return httpPort;
    }

    /**
     * Stops gracefully within the bound: HTTP turns unready, answers its parked queries and finishes the requests in
     * flight; DNS answers the queries in flight; then Hazelcast's graceful shutdown hands this member's partitions and
     * CP seat over to the others. Whatever is not done when the bound runs out is cut short by terminating the member.
     */
    public void stop(Duration bound) {
        Instant deadline = Instant.now().plus(bound);
        drainServing(bound.dividedBy(3));
        awaitFullGroup(deadline.minus(bound.dividedBy(4)));
        stopLocalWork();
        Thread handOver = new Thread(() -> member.getLifecycleService().shutdown(), "meridian-graceful-shutdown");
        handOver.start();
        try {
            handOver.join(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (handOver.isAlive()) {
            LOG.warn("graceful shutdown did not finish within {}; terminating", bound);
            member.getLifecycleService().terminate();
        }
        journal.ifPresent(DiskJournal::close);
    }

    /**
     * Stops serving clients gracefully, the member staying up: HTTP turns unready, answers its parked queries and
     * finishes the requests in flight within the bound; DNS answers the queries in flight within a second.
     */
    public void drainServing(Duration bound) {
        if (http != null) {
            http.drain(bound);
        }
        if (dns != null) {
            dns.drain(DNS_DRAIN);
        }
    }

    /**
     * Before a voter leaves: waits (until the deadline at most) while the CP group lacks a seat, as it does right after
     * another member was stopped or restarted and autopilot has not filled its seat yet. Leaving a group of two would
     * leave one voter of two, which is no majority; this is what keeps a rolling restart that waits only for readiness
     * (a StatefulSet's) from stopping writes.
     */
    private void awaitFullGroup(Instant deadline) {
        try {
            while (Instant.now().isBefore(deadline)) {
                CpSnapshot snapshot = observer.latest();
                boolean voter = snapshot.voters().stream().anyMatch(id -> id.equals(localCpMember()));
                if (!voter || snapshot.voters().size() >= config.cpMemberCount()) {
                    return;
                }
                Thread.sleep(100);
            }
            LOG.warn("leaving the CP group before autopilot filled its free seat: the shutdown bound ran out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private UUID localCpMember() {
        CPMember local = member.getCPSubsystem().getLocalCPMember();
        return local == null ? null : local.getUuid();
    }

    /** Stops at once, as a crash would: nothing is handed over. */
    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (dns != null) {
            dns.close();
        }
        stopLocalWork();
        member.getLifecycleService().terminate();
        journal.ifPresent(DiskJournal::close);
    }

    private void stopLocalWork() {
        heapRoom.close();
        startupSync.close();
        events.close();
        kafkaSink.ifPresent(KafkaEventSink::close);
        changes.close();
        changePublisher.close();
        checks.close();
        probers.close();
        antiEntropy.close();
        autopilot.close();
        leaderHint.close();
        observer.close();
        registry.close();
    }
}
