package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.IFunction;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.meridian.registry.Check;
import io.meridian.registry.CheckIdTakenException;
import io.meridian.registry.CheckKind;
import io.meridian.registry.CheckOutcome;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InvalidRegistrationException;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.RegistrationAdmission;
import io.meridian.registry.RegistrationRules;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.ServiceCatalog;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import io.meridian.registry.TtlLease;
import io.meridian.registry.UnknownCheckException;
import io.meridian.registry.UnknownInstanceException;
import io.meridian.registry.durable.DurableWrites;
import io.meridian.registry.durable.ReplicatedJournal;
import io.meridian.registry.durable.VersionedValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link Registry} on a Hazelcast cluster, member or client.
 *
 * <p>A write is one Raft commit of a small function to the CP shard its instance id hashes to; the service parts it
 * changed go to a majority of the members' journals (when {@link RegistrySettings#journaled()}), then move the
 * projection forward, and the write is acknowledged. Should the projection step fail, the write is
 * still committed and acknowledged, and {@link #repair()} (run periodically by the members) brings the
 * projection up to date. Reads use the projection; blocking queries share one waiter per service. A registry on a
 * member hears every service header's change; one on a client hears only those of the services it holds a waiter for,
 * until it is first asked about whole namespaces ({@link HeaderFeed}).
 * Thread-safe; {@link #close()} removes its listeners and stops its notifier thread.
 */
public final class HazelcastRegistry implements Registry, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HazelcastRegistry.class.getName());
    /** A waiter nobody asked for this long, and nobody waits on, is dropped; asked again, it is read again. */
    static final Duration IDLE_WATCH = Duration.ofMinutes(1);
    /** The least time between two scans of a namespace for {@code <id>.node} lookups that miss. */
    static final Duration INSTANCE_INDEX_REBUILD = Duration.ofSeconds(1);
    /** How often the projection steps a partition cut short are tried again. */
    static final Duration PROJECTION_RETRY = Duration.ofSeconds(1);
    /**
     * How long a committed part is given to reach the projection on its own before anti-entropy counts it lost: the
     * projection step's bound, a retry and room for a busy machine.
     */
    static final Duration PROJECTION_SETTLE = Projection.STEP_BOUND.plus(PROJECTION_RETRY).plus(Duration.ofSeconds(2));
    /**
     * What a write may take beyond the write timeout, for its steps after the commit: the whole write is answered
     * within the sum, so a member cut off from the others refuses a write within 5 s, even one whose commit went
     * through just before the cut.
     */
    static final Duration AFTER_COMMIT_ALLOWANCE = Duration.ofMillis(500);
    private static final int RESTORE_THREADS = 16;
    private static final int CONSISTENT_READ_TRIES = 10;
    /** How often a member takes its namespaces' indexes from its header copies again. */
    static final Duration NAMESPACE_RESEED = Duration.ofSeconds(10);
    /** How stale a lookup may be should a change event be lost: a held view older than this is read again. */
    private static final Duration EVENT_LOSS_BOUND = Duration.ofSeconds(1);

    private final HazelcastInstance hazelcast;
    private final RegistrySettings settings;
    private final Clock clock;
    private final IMap<String, String> checkLocations;
    private final GridCheckRecords checkRecords;
    private final NearestCopy copies;
    private final IndexClock indexClock;
    private final ShardStore shards;
    /** Where writes are made durable; null if they are not journaled. */
    private final ReplicatedJournal journal;
    private final Projection projection;
    private final FullMembers fullMembers;
    private final ProjectionWriter writer;
    private final ProjectionRetries retries;
    private final InstanceIdIndex instanceIds;
    private final ScheduledExecutorService notifier;
    private final Watches<ServiceView> serviceWatches;
    private final Watches<Long> catalogWatches;
    private final NamespaceIndexes namespaceIndexes;
    private final HeaderFeed headerFeed;
    /** Whether the namespaces' indexes are kept: from the start on a member, once first asked on a client. */
    private volatile boolean namespacesKept;
    private volatile WriteObserver observer = WriteObserver.NONE;
    private volatile RegistrationAdmission admission = RegistrationAdmission.ALWAYS;

    /** A registry on the given instance; the clock drives indexes and the expiry of idle waiters. */
    public HazelcastRegistry(HazelcastInstance hazelcast, RegistrySettings settings, Clock clock) {
        this(hazelcast, settings, clock, UnaryOperator.identity());
    }

    /** As above, with the projection writer wrapped: the seam tests use to lose a projection write on purpose. */
    HazelcastRegistry(HazelcastInstance hazelcast, RegistrySettings settings, Clock clock,
                      UnaryOperator<ProjectionWriter> writerDecorator) {
        this.hazelcast = hazelcast;
        this.settings = settings;
        this.clock = clock;
        this.checkLocations = hazelcast.getMap(GridNames.CHECKS_MAP);
        this.copies = new NearestCopy(hazelcast, List.of(GridNames.SLICES_MAP, GridNames.SERVICES_MAP,
                GridNames.CHECKS_MAP, GridNames.CHECK_OUTCOMES_MAP));
        this.checkRecords = new GridCheckRecords(hazelcast, copies, settings.writeTimeout(), settings.nodeName());
        this.indexClock = new IndexClock(clock);
        this.shards = new ShardStore(hazelcast.getCPSubsystem(), settings.shardCount(), settings.writeTimeout(),
                "shards=" + settings.shardCount() + ",slices=" + settings.slicesPerService());
        this.journal = settings.journaled() ? new ReplicatedJournal(hazelcast, settings.writeTimeout(),
                DurableValues.JOURNAL) : null;
        this.projection = new Projection(hazelcast, settings.slicesPerService(), copies);
        this.writer = writerDecorator.apply(projection);
        this.retries = new ProjectionRetries(writer, PROJECTION_RETRY);
        this.notifier = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-watch-notifier");
            thread.setDaemon(true);
            return thread;
        });
        this.headerFeed = new HeaderFeed(projection.headers(), new HeaderListener(), this::serviceFollowed);
        // Index 1 is what the projection answers for a service or namespace never written.
        this.serviceWatches = new Watches<>((key, atLeast) -> projection.service(ServiceKeys.namespaceOf(key),
                ServiceKeys.serviceOf(key), atLeast), ServiceView::index, view -> view.index() > 1, notifier, clock,
                IDLE_WATCH, headerFeed);
        // On a client, which holds no copies, an event is taken at once: its reads go to the owners.
        this.namespaceIndexes = new NamespaceIndexes(projection::namespaceIndexes,
                copies.isLocal() ? projection::heldHeaderIndex : serviceKey -> Long.MAX_VALUE, notifier,
                this::namespaceAdvanced, System::nanoTime);
        this.catalogWatches = new Watches<>((namespace, atLeast) -> namespaceIndexes.of(namespace), Long::longValue,
                index -> index > 1, notifier, clock, IDLE_WATCH, Watches.Followers.NONE);
        this.instanceIds = new InstanceIdIndex(namespaceIndexes::of, projection::instances, System::nanoTime,
                INSTANCE_INDEX_REBUILD);
        notifier.scheduleWithFixedDelay(() -> {
            serviceWatches.evictIdle();
            catalogWatches.evictIdle();
        }, IDLE_WATCH.toMillis(), IDLE_WATCH.toMillis(), TimeUnit.MILLISECONDS);
        this.fullMembers = new FullMembers(hazelcast);
        if (copies.isLocal()) {
            // After the listener, so that no change falls between the two; a member's copies may also change without
            // an event (a healed split's merge), so it takes the indexes from its copies again now and then.
            followNamespaces();
            notifier.scheduleWithFixedDelay(namespaceIndexes::reseed, NAMESPACE_RESEED.toMillis(),
                    NAMESPACE_RESEED.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public long register(ServiceInstance instance) {
        ServiceInstance stamped = instance.node().isEmpty() ? instance.withNode(settings.nodeName()) : instance;
        RegistrationRules.requireValid(stamped, settings.maxChecksPerInstance());
        admission.requireRoom();
        fullMembers.requireRoom();
        for (Check check : stamped.checks()) {
            requireCheckIdFree(stamped.namespace(), check.id(), stamped.id());
        }
        long answerBy = answerBy();
        int shardId = shards.shardOf(stamped.namespace(), stamped.id());
        Shard shard = commit(shardId, new RegisterInstance(stamped, indexClock.propose()));
        Durability durability = persist(shardId, shard);
        CompletableFuture<Void> located = locate(stamped.namespace(),
                ServiceKeys.service(stamped.namespace(), stamped.service()), stamped.id(), stamped.checks());
        project(shardId, shard, answerBy);
        awaitLocated(located, stamped.id(), answerBy);
        durability.await(answerBy);
        return shard.index();
    }

    @Override
    public long deregister(String namespace, String instanceId) {
        RegistrationRules.requireValidNamespace(namespace);
        int shardId = shards.shardOf(namespace, instanceId);
        long start = System.nanoTime();
        long answerBy = answerBy();
        DeregisterInstance deregistration = new DeregisterInstance(namespace, instanceId, indexClock.propose());
        Shard before = shards.writeSeeingBefore(shardId, deregistration);
        Shard shard = committed(deregistration.apply(before), start);
        if (shard.touched().isEmpty()) {
            throw new UnknownInstanceException(namespace, instanceId);
        }
        Durability durability = persist(shardId, shard);
        project(shardId, shard, answerBy);
        forgetChecks(namespace, instanceId, before.checksOf(namespace, instanceId), answerBy);
        durability.await(answerBy);
        return shard.index();
    }

    /**
     * Drops what the AP maps hold for checks an instance no longer has (it was deregistered, or the check removed):
     * their leases, their outcomes, and their entries in the check index that still name the instance; an id
     * registered again starts with none of them. The
     * deletions run at once and are waited for until {@code answerBy}. A grid failure, or an owner that does not
     * answer by then, leaves entries that name no registered check, which every reader ignores.
     */
    private void forgetChecks(String namespace, String instanceId, List<Check> checks, long answerBy) {
        List<CompletableFuture<?>> deletions = new ArrayList<>();
        for (Check check : checks) {
            deletions.addAll(checkRecords.forget(namespace, instanceId, check.id()));
            deletions.add(checkLocations.submitToKey(namespace + '/' + check.id(), new ForgetLocation('/' + instanceId))
                    .toCompletableFuture());
        }
        try {
            BoundedStep.within(answerBy, CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)),
                    "drop the entries of checks instance " + instanceId + " no longer has");
        } catch (HazelcastException e) {
            LOG.log(Level.WARNING, "the leases, outcomes or index entries of checks instance " + instanceId
                    + " no longer has are not all dropped", e);
        }
    }

    @Override
    public long updateCheckStatus(String namespace, String instanceId, String checkId, HealthStatus status) {
        long answerBy = answerBy();
        int shardId = shards.shardOf(namespace, instanceId);
        Shard shard = commit(shardId,
                new SetCheckStatus(namespace, instanceId, checkId, status, indexClock.propose()));
        if (shard.touched().isEmpty()) {
            return 0;
        }
        Durability durability = persist(shardId, shard);
        project(shardId, shard, answerBy);
        durability.await(answerBy);
        return shard.index();
    }

    @Override
    public long putCheck(String namespace, String instanceId, Check check) {
        RegistrationRules.requireValidNamespace(namespace);
        RegistrationRules.requireValid(check);
        requireCheckIdFree(namespace, check.id(), instanceId);
        long answerBy = answerBy();
        int shardId = shards.shardOf(namespace, instanceId);
        Shard shard = commit(shardId, new PutCheck(namespace, instanceId, check, settings.maxChecksPerInstance(),
                indexClock.propose()));
        String serviceKey = shard.serviceKeyOf(namespace, instanceId);
        if (serviceKey == null) {
            throw new UnknownInstanceException(namespace, instanceId);
        }
        if (!shard.checksOf(namespace, instanceId).contains(check)) {
            throw new InvalidRegistrationException(List.of(RegistrationRules.tooManyChecks(
                    settings.maxChecksPerInstance())));
        }
        CompletableFuture<Void> located = locate(namespace, serviceKey, instanceId, List.of(check));
        if (shard.touched().isEmpty()) {
            awaitLocated(located, instanceId, answerBy);
            return 0;
        }
        Durability durability = persist(shardId, shard);
        project(shardId, shard, answerBy);
        awaitLocated(located, instanceId, answerBy);
        durability.await(answerBy);
        return shard.index();
    }

    @Override
    public long removeCheck(String namespace, String checkId) {
        Check check = findCheck(namespace, checkId).orElseThrow(
                () -> new UnknownCheckException(namespace, checkId, "no registered instance has it"));
        String instanceId = copies.get(checkLocations, namespace + '/' + checkId).split("/", 3)[2];
        long answerBy = answerBy();
        int shardId = shards.shardOf(namespace, instanceId);
        Shard shard = commit(shardId, new RemoveCheck(namespace, instanceId, check.id(), indexClock.propose()));
        if (shard.touched().isEmpty()) {
            throw new UnknownCheckException(namespace, checkId, "no registered instance has it");
        }
        Durability durability = persist(shardId, shard);
        project(shardId, shard, answerBy);
        forgetChecks(namespace, instanceId, List.of(check), answerBy);
        durability.await(answerBy);
        return shard.index();
    }

    /**
     * Stores the lease and, when the renewal changes the check's status, commits the change at once, so that lookups,
     * blocking queries, DNS and the SDK show it as they show any write; a renewal that changes nothing costs no Raft
     * commit. The health checker only turns a lapsed lease critical.
     */
    @Override
    public void renewTtl(String namespace, String checkId, HealthStatus status, String output) {
        String[] location = findCheckLocation(namespace, checkId).orElseThrow(
                () -> new UnknownCheckException(namespace, checkId, "no registered instance has it"));
        Check check = checkAt(location, checkId).orElseThrow(
                () -> new UnknownCheckException(namespace, checkId, "no registered instance has it"));
        if (check.kind() != CheckKind.TTL) {
            throw new UnknownCheckException(namespace, checkId, "it is a " + check.kind() + " check, not a TTL check");
        }
        checkRecords.renew(namespace, location[2], checkId, new TtlLease(status, output, clock.millis()));
        if (check.status() != status) {
            updateCheckStatus(namespace, location[2], checkId, status);
        }
    }

    @Override
    public Map<String, CheckOutcome> checkOutcomes(String namespace, Collection<String> checkIds) {
        return checkRecords.outcomes(namespace, checkIds);
    }

    /** The leases and last runs of checks, for the health checker. */
    public CheckRecords checkRecords() {
        return checkRecords;
    }

    /**
     * Starts remembering which instance each of its committed checks belongs to, for the calls that name only the
     * check; the writes run alongside the write's projection step, and {@link #awaitLocated} waits for them.
     */
    private CompletableFuture<Void> locate(String namespace, String serviceKey, String instanceId,
                                           List<Check> checks) {
        return CompletableFuture.allOf(checks.stream()
                .map(check -> checkLocations.setAsync(namespace + '/' + check.id(), serviceKey + '/' + instanceId)
                        .toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Waits for {@link #locate} until {@code answerBy}.
     *
     * @throws RegistryUnavailableException if the grid fails or the deadline passes: the write is committed, but its
     *                                      checks cannot be found by id until this is done, so the caller is told
     *                                      to retry (a 503)
     */
    private static void awaitLocated(CompletableFuture<Void> located, String instanceId, long answerBy) {
        try {
            BoundedStep.within(answerBy, located, "index the checks of instance " + instanceId);
        } catch (HazelcastException e) {
            throw new RegistryUnavailableException("committed, but the checks of instance " + instanceId
                    + " could not be indexed: " + e.getMessage(), e);
        }
    }

    /**
     * @throws CheckIdTakenException if another instance has a check with this id: the check index names it, and the
     *                               projection still holds the check there
     */
    private void requireCheckIdFree(String namespace, String checkId, String instanceId) {
        Optional<String[]> location = findCheckLocation(namespace, checkId);
        if (location.isPresent() && !location.get()[2].equals(instanceId)
                && checkAt(location.get(), checkId).isPresent()) {
            throw new CheckIdTakenException(namespace, checkId);
        }
    }

    /** The check with this id as the projection holds it; empty if no registered instance has it. */
    private Optional<Check> findCheck(String namespace, String checkId) {
        return findCheckLocation(namespace, checkId).flatMap(location -> checkAt(location, checkId));
    }

    /** Where the check index says a check is: namespace, service and instance id. */
    private Optional<String[]> findCheckLocation(String namespace, String checkId) {
        return Optional.ofNullable(copies.get(checkLocations, namespace + '/' + checkId))
                .map(location -> location.split("/", 3));
    }

    /** The check at that location, if the projection still has it there. */
    private Optional<Check> checkAt(String[] location, String checkId) {
        return projection.service(location[0], location[1]).instances().stream()
                .filter(entry -> entry.instance().id().equals(location[2]))
                .flatMap(entry -> entry.instance().checks().stream())
                .filter(check -> check.id().equals(checkId))
                .findFirst();
    }

    @Override
    public ServiceView service(String namespace, String service) {
        return serviceWatches.current(ServiceKeys.service(namespace, service), EVENT_LOSS_BOUND);
    }

    @Override
    public Optional<ServiceView> heldService(String namespace, String service) {
        return Optional.ofNullable(heldService(serviceKey(namespace, service)));
    }

    /**
     * What {@link #service} would answer without reading the cluster, or {@code null} if it would have to read: for a
     * caller that must bound how long a lookup waits (the SDK, whose reads go to a member that may be cut off). Takes
     * the service's {@link #serviceKey}, which a caller looking up the same services over and over makes once.
     */
    public ServiceView heldService(String serviceKey) {
        return serviceWatches.held(serviceKey, EVENT_LOSS_BOUND);
    }

    /** The key under which a service is held, for {@link #heldService}. */
    public static String serviceKey(String namespace, String service) {
        return ServiceKeys.service(namespace, service);
    }

    /**
     * Linearizable: the service's parts are read from every shard twice, and the answer is given only once two
     * reads in a row agree on every part's index. The shards then all held those parts at one moment between the
     * two reads (a double collect), which is where the read takes effect. One read of the shards, however careful,
     * is not enough: a write to a shard already read and a later write to a shard not yet read would show the later
     * write without the earlier one. All the reads together wait no longer than one write may.
     *
     * @throws RegistryUnavailableException if the service changed under {@value #CONSISTENT_READ_TRIES} reads in a
     *                                      row, or the reads did not end within the write timeout
     */
    @Override
    public ServiceView serviceConsistent(String namespace, String service) {
        String key = ServiceKeys.service(namespace, service);
        long deadline = shards.deadline();
        Map<Integer, ServicePart> previous = partsOf(key, deadline);
        for (int attempt = 1; attempt < CONSISTENT_READ_TRIES; attempt++) {
            Map<Integer, ServicePart> current = partsOf(key, deadline);
            if (sameIndexes(previous, current)) {
                return noOlderThanAnswered(key, consistentView(namespace, service, current));
            }
            previous = current;
        }
        throw new RegistryUnavailableException("service " + service + " changed under " + CONSISTENT_READ_TRIES
                + " consistent reads in a row; try again", null);
    }

    /**
     * The consistent view, at no lower an index than this member has answered for the service: its instances are the
     * committed ones, newer than any answer before it, but its index comes partly from this member's copy of the
     * projection, which may lag.
     */
    private ServiceView noOlderThanAnswered(String key, ServiceView consistent) {
        ServiceView newest = serviceWatches.newest(key, consistent, clock.instant());
        return newest.index() <= consistent.index() ? consistent : new ServiceView(consistent.namespace(),
                consistent.service(), newest.index(), consistent.instances());
    }

    private Map<Integer, ServicePart> partsOf(String serviceKey, long deadline) {
        Map<Integer, ServicePart> parts = new HashMap<>();
        shards.forEach(new PartOf(serviceKey), parts::put, deadline);
        return parts;
    }

    private static boolean sameIndexes(Map<Integer, ServicePart> a, Map<Integer, ServicePart> b) {
        return a.size() == b.size() && a.entrySet().stream().allMatch(part -> b.containsKey(part.getKey())
                && b.get(part.getKey()).index() == part.getValue().index());
    }

    private ServiceView consistentView(String namespace, String service, Map<Integer, ServicePart> parts) {
        long index = projection.serviceIndex(namespace, service);
        List<InstanceEntry> instances = new ArrayList<>();
        for (ServicePart part : parts.values()) {
            instances.addAll(part.instances().values());
            index = Math.max(index, part.index());
        }
        instances.sort(Comparator.comparing(entry -> entry.instance().id()));
        return new ServiceView(namespace, service, index, instances);
    }

    @Override
    public CompletableFuture<ServiceView> awaitService(String namespace, String service, long afterIndex) {
        return serviceWatches.await(ServiceKeys.service(namespace, service), afterIndex);
    }

    @Override
    public Optional<CompletableFuture<ServiceView>> awaitHeldService(String namespace, String service,
                                                                      long afterIndex) {
        return Optional.ofNullable(serviceWatches.awaitHeld(ServiceKeys.service(namespace, service), afterIndex));
    }

    @Override
    public ServiceCatalog catalog(String namespace) {
        return projection.catalog(namespace);
    }

    @Override
    public CompletableFuture<Long> awaitCatalog(String namespace, long afterIndex) {
        followNamespaces();
        return catalogWatches.await(namespace, afterIndex);
    }

    @Override
    public List<InstanceEntry> instances(String namespace) {
        return projection.instances(namespace);
    }

    @Override
    public Optional<InstanceEntry> instanceIgnoringCase(String namespace, String instanceId) {
        followNamespaces();
        return instanceIds.serviceOf(namespace, instanceId).flatMap(service -> service(namespace, service)
                .instances().stream().filter(entry -> entry.instance().id().equalsIgnoreCase(instanceId)).findFirst());
    }

    @Override
    public Set<String> namespaces() {
        return projection.namespaces();
    }

    @Override
    public Optional<String> serviceOfInstance(String namespace, String instanceId) {
        Shard shard = shards.read(shards.shardOf(namespace, instanceId));
        return shard.parts().entrySet().stream()
                .filter(part -> ServiceKeys.namespaceOf(part.getKey()).equals(namespace)
                        && part.getValue().instances().containsKey(instanceId))
                .map(part -> ServiceKeys.serviceOf(part.getKey()))
                .findFirst();
    }

    @Override
    public Optional<String> serviceOfCheck(String namespace, String checkId) {
        return findCheckLocation(namespace, checkId)
                .filter(location -> checkAt(location, checkId).isPresent())
                .map(location -> location[1]);
    }

    /**
     * Tells the listener which instances with checks are in the projection slices this member owns (primary copies),
     * and every change of them, as they are written and as partitions migrate (noticed within {@code poll}): what its
     * health checker runs. Members only.
     *
     * @return what to close to stop
     * @throws IllegalStateException on a client
     */
    public AutoCloseable followOwnedChecks(OwnedChecksListener listener, Duration poll) {
        return new OwnedSlices(hazelcast, listener, poll);
    }

    /** What one anti-entropy round put right: service parts re-applied to the projection, check-index entries. */
    public record Repairs(int serviceParts, int checkIndexEntries) {
    }

    /**
     * One anti-entropy round: reads what it compares of every committed shard in one Raft query per shard, then
     * repairs the projection and the check index from it.
     * <ul>
     *     <li>The projection: every part it lacks is re-applied, a part whose slice holds an older one (a projection
     *     step that timed out, or an update a promoted backup never received) or whose header's summary of the slice
     *     is not the slice's own (a header update lost or applied out of order). Only part indexes and summaries
     *     travel, read where the slices and headers are, so a round costs little when nothing differs. A part
     *     committed less than 5 s ago ({@code PROJECTION_SETTLE}) is left to a later round: its own projection step,
     *     or that step's retries, may still be under way, and under steady writes dozens are.</li>
     *     <li>The check index: each entry the committed state has and the index lacks or holds elsewhere (a grid
     *     failure after a commit, an entry lost with a partition) is put back, so calls that name only a check find
     *     it again.</li>
     * </ul>
     *
     * @return how many service parts (projection writes that had been lost) and check-index entries it put back
     */
    public Repairs repair() {
        Map<Integer, ShardDigest> digests = digests();
        return new Repairs(repairProjection(digests, PROJECTION_SETTLE), repairCheckIndex(digests));
    }

    /**
     * The projection's half of {@link #repair()}, leaving alone the parts committed less than {@code settle} ago by
     * this registry's clock: a part's index is the microseconds of its committing node's clock. An index further
     * ahead of this clock than the settle time says that node's clock is off, not that the part is young (and every
     * later write to its shard inherits it), so such a part is not left alone: a skewed clock never holds a repair
     * back by more than a round.
     */
    int repairProjection(Duration settle) {
        return repairProjection(digests(), settle);
    }

    private int repairProjection(Map<Integer, ShardDigest> committed, Duration settle) {
        Instant now = clock.instant();
        long settledBefore = IndexClock.microsOf(now.minus(settle));
        long skewedAfter = IndexClock.microsOf(now.plus(settle));
        if (committed.isEmpty()) {
            return 0;
        }
        Map<String, SliceState> slices = projection.sliceStates();
        Map<String, HashMap<Integer, BucketSummary>> headers = projection.headerBuckets();
        int repaired = 0;
        for (Map.Entry<Integer, ShardDigest> shard : committed.entrySet()) {
            int shardId = shard.getKey();
            int bucket = shardId % projection.slicesPerService();
            List<String> behind = shard.getValue().partIndexes().entrySet().stream()
                    .filter(part -> part.getValue() < settledBefore || part.getValue() > skewedAfter)
                    .filter(part -> {
                        SliceState slice = slices.get(ServiceKeys.slice(part.getKey(), bucket));
                        return slice == null || !slice.holds(shardId, part.getValue())
                                || slice.isMissingFrom(headers.getOrDefault(part.getKey(), new HashMap<>())
                                .get(bucket));
                    })
                    .map(Map.Entry::getKey)
                    .toList();
            if (!behind.isEmpty()) {
                Shard current = shards.read(shardId);
                for (String serviceKey : behind) {
                    projection.apply(shardId, serviceKey, current.parts().get(serviceKey), ProjectionWriter.OWN_BOUND);
                    repaired++;
                }
            }
        }
        if (repaired > 0) {
            observer.repaired(repaired);
        }
        return repaired;
    }

    private int repairCheckIndex(Map<Integer, ShardDigest> digests) {
        Map<String, String> committed = new HashMap<>();
        digests.values().forEach(digest -> committed.putAll(digest.checkLocations()));
        if (committed.isEmpty()) {
            return 0;
        }
        Map<String, String> indexed = copies.getAll(checkLocations, committed.keySet());
        int repaired = 0;
        for (Map.Entry<String, String> location : committed.entrySet()) {
            if (!location.getValue().equals(indexed.get(location.getKey()))) {
                checkLocations.set(location.getKey(), location.getValue());
                repaired++;
            }
        }
        return repaired;
    }

    /** Every committed shard's digest, by shard id; shards never written are left out. */
    private Map<Integer, ShardDigest> digests() {
        Map<Integer, ShardDigest> digests = new HashMap<>();
        shards.forEach(new ReadDigest(), digests::put);
        return digests;
    }

    /**
     * Has every blocking query read its service or namespace again, for when this instance may have missed change
     * events: call it after a client reconnects to the cluster. CP proxies are looked up afresh and the next write asks
     * again whether the cluster takes writes, since the cluster may have restarted whole.
     */
    public void resync() {
        shards.forgetProxies();
        if (namespacesKept) {
            namespaceIndexes.reseed();
        }
        serviceWatches.refreshAll();
        catalogWatches.refreshAll();
    }

    /**
     * Starts keeping the namespaces' indexes, which the answers about whole namespaces wait on, if this registry does
     * not yet: a client's hears only the services it holds until it is first asked such a question.
     */
    private void followNamespaces() {
        if (namespacesKept) {
            return;
        }
        synchronized (namespaceIndexes) {
            if (!namespacesKept) {
                headerFeed.followAll();
                namespaceIndexes.reseed();
                namespacesKept = true;
            }
        }
    }

    /**
     * A header listener for the service is in place: a change made while it was on its way is announced as its event
     * would have been, from the header's owner, since a near cache may still hold the header from before it. Should
     * the owner not answer, the waiter's held view is still read again within {@link #EVENT_LOSS_BOUND}.
     */
    private void serviceFollowed(String serviceKey) {
        try {
            serviceWatches.changed(serviceKey, projection.ownersHeaderIndex(serviceKey));
        } catch (HazelcastException e) {
            LOG.log(Level.FINE, "could not read the header of " + serviceKey + " from its owner", e);
        }
    }

    @Override
    public void close() {
        headerFeed.close();
        fullMembers.close();
        notifier.shutdownNow();
        retries.close();
        copies.close();
        shards.close();
        if (journal != null) {
            journal.close();
        }
    }

    /** The members that refuse registrations for lack of heap; this registry refuses them too. */
    public FullMembers fullMembers() {
        return fullMembers;
    }

    /**
     * From now on, asks the admission before each registration whether there is room for it, as well as
     * {@link #fullMembers()}.
     */
    public void admitRegistrationsBy(RegistrationAdmission registrationAdmission) {
        this.admission = registrationAdmission;
    }

    /** Tells the observer how long each write's commit and projection take, from now on. */
    public void observeWrites(WriteObserver writeObserver) {
        this.observer = writeObserver;
    }

    /** The deadline of a write starting now: its answer, a success or a refusal, comes by then. */
    private long answerBy() {
        return System.nanoTime() + settings.writeTimeout().plus(AFTER_COMMIT_ALLOWANCE).toNanos();
    }

    private Shard commit(int shardId, IFunction<Shard, Shard> change) {
        long start = System.nanoTime();
        return committed(shards.write(shardId, change), start);
    }

    /** Tells the observer how long the Raft commit of a shard took since {@code start}. */
    private Shard committed(Shard shard, long start) {
        observer.committed(System.nanoTime() - start);
        return shard;
    }

    /**
     * Sends the parts the write changed to the members' disks, if writes are journaled; the write waits for a
     * majority to have them only before it answers, so they travel while its projection step runs. A lookup may so
     * see a write whose answer is still to come, as one through another member may see it once it is committed.
     */
    private Durability persist(int shardId, Shard shard) {
        if (journal == null || shard.touched().isEmpty()) {
            return Durability.NOT_JOURNALED;
        }
        Map<String, VersionedValue> changes = new HashMap<>();
        for (String serviceKey : shard.touched()) {
            ServicePart part = shard.parts().get(serviceKey);
            changes.put(DurableKeys.part(shardId, serviceKey), new VersionedValue(part.index(), part));
        }
        return journal.send(changes)::await;
    }

    /** A write's changes on their way to a majority of the members' disks. */
    private interface Durability {

        Durability NOT_JOURNALED = answerBy -> { };

        /**
         * Returns once a majority has them, or they are not journaled.
         *
         * @throws RegistryUnavailableException if no majority had them by {@code answerBy}
         */
        void await(long answerBy);
    }

    /** The gate writes pass: closed while a cold start restores the registry from the members' disks. */
    public RestoreGate restoreGate() {
        return shards.gate();
    }

    /** The gate and the journal, for another store of this cluster's durable state (the ACLs) to write through. */
    public DurableWrites durableWrites() {
        return new DurableWrites() {
            @Override
            public void requireWritable() {
                shards.gate().requireOpen();
            }

            @Override
            public void persist(Map<String, VersionedValue> changes) {
                if (journal != null) {
                    journal.persist(changes);
                }
            }
        };
    }

    /**
     * Merges a member's durable state into the committed state, part by part keeping the higher index, while the
     * restore gate is still closed: a cold start's step. What changed is projected but not journaled again: it is on
     * the disk it came from, and each member copies the cluster's state to its own disk once writes open.
     *
     * @return how many service parts changed
     */
    public int merge(Map<String, VersionedValue> state) {
        return applyByShard(state, false, false, (shardId, parts) -> shards.writeWhileRestoring(shardId,
                new MergeParts(parts == null ? Map.of() : parts)));
    }

    /**
     * Makes the registry hold exactly the state's instances (a snapshot restore): every shard is replaced, services
     * the state lacks are emptied. A normal write: it waits for the restore gate like any other.
     *
     * @return how many service parts changed
     * @throws IllegalArgumentException if the state was written with another shard count
     */
    public int replace(Map<String, VersionedValue> state) {
        return applyByShard(state, true, true, (shardId, parts) -> shards.write(shardId,
                new ReplaceParts(parts == null ? Map.of() : parts)));
    }

    /** Every service part of the committed state, emptied ones included, read one shard at a time. */
    public Map<String, VersionedValue> committedState() {
        Map<String, VersionedValue> state = new HashMap<>();
        shards.forEach(new AllParts(), (shardId, parts) -> parts.forEach((serviceKey, part) ->
                state.put(DurableKeys.part(shardId, serviceKey), new VersionedValue(part.index(), part))));
        return state;
    }

    /**
     * Commits {@code write} to each shard the state has parts for (to every shard if {@code everyShard}), several
     * shards at a time, then journals (if {@code journaled}), projects and locates the checks of what changed.
     */
    private int applyByShard(Map<String, VersionedValue> state, boolean everyShard, boolean journaled,
                             BiFunction<Integer, Map<String, ServicePart>, Shard> write) {
        Map<Integer, Map<String, ServicePart>> byShard = DurableKeys.partsByShard(state, shards.shardCount());
        List<Integer> shardIds = everyShard
                ? IntStream.range(0, shards.shardCount()).boxed().toList()
                : List.copyOf(byShard.keySet());
        ExecutorService restorers = Executors.newFixedThreadPool(RESTORE_THREADS);
        try {
            List<CompletableFuture<Integer>> changed = shardIds.stream()
                    .map(shardId -> CompletableFuture.supplyAsync(() -> {
                        // A shard of a restore holds many services and checks: each step has its own bound.
                        Shard shard = write.apply(shardId, byShard.get(shardId));
                        if (journaled) {
                            persist(shardId, shard).await(answerBy());
                        }
                        project(shardId, shard, ProjectionWriter.OWN_BOUND);
                        for (String serviceKey : shard.touched()) {
                            shard.parts().get(serviceKey).instances().values().forEach(entry -> awaitLocated(
                                    locate(entry.instance().namespace(), serviceKey, entry.instance().id(),
                                            entry.instance().checks()), entry.instance().id(), answerBy()));
                        }
                        return shard.touched().size();
                    }, restorers)).toList();
            return changed.stream().mapToInt(this::joinUnwrapped).sum();
        } finally {
            restorers.shutdownNow();
        }
    }

    private int joinUnwrapped(CompletableFuture<Integer> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void project(int shardId, Shard shard, long answerBy) {
        long start = System.nanoTime();
        for (String serviceKey : shard.touched()) {
            ServicePart part = shard.parts().get(serviceKey);
            try {
                writer.apply(shardId, serviceKey, part, answerBy);
            } catch (HazelcastException e) {
                LOG.log(Level.WARNING, "write to shard " + shardId + " is committed but not yet projected for "
                        + serviceKey + "; it is tried again every " + PROJECTION_RETRY.toMillis() + " ms", e);
                retries.failed(shardId, serviceKey, part);
            }
            serviceWatches.wrote(serviceKey, part.index());
        }
        observer.projected(System.nanoTime() - start);
    }

    private void namespaceAdvanced(String namespace, long index) {
        catalogWatches.changed(namespace, index);
    }

    /** Forwards every added or updated service header, with its new index, to its waiters and its namespace. */
    private final class HeaderListener implements EntryAddedListener<String, ServiceHeader>,
            EntryUpdatedListener<String, ServiceHeader> {

        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, ServiceHeader> event) {
            changed(event.getKey(), projection.headerIndexOf(event));
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, ServiceHeader> event) {
            changed(event.getKey(), projection.headerIndexOf(event));
        }

        private void changed(String serviceKey, long index) {
            serviceWatches.changed(serviceKey, index);
            namespaceIndexes.heard(serviceKey, index);
        }
    }
}
