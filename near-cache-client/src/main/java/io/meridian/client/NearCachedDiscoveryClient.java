package io.meridian.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.client.map.impl.nearcache.NearCachedClientMapProxy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import io.meridian.registry.FailureReports;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import io.meridian.registry.grid.CallbackThreads;
import io.meridian.registry.grid.DistributedFailureReports;
import io.meridian.registry.grid.GridNames;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySerialization;
import io.meridian.registry.grid.RegistrySettings;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link DiscoveryClient} on one Hazelcast client. Lookups and watches read through it, with near caches on the
 * projection's service headers and slices (invalidated on change, bounded by a TTL). A change event can overtake the
 * invalidation of the near-cached values it is about; the registry then reads them from their owners, so a watcher is
 * never woken with the value from before the change.
 *
 * <p>Stale routing beats no routing: every view read is kept ({@link LastKnownViews}) and, with a snapshot directory,
 * written to disk; while the cluster cannot be reached, or a read is late (its member is cut off), lookups answer from
 * what was kept ({@link BoundedLookups}), and a client started then answers from the snapshot. Both clients reconnect
 * forever in the background; on each connection the near caches are cleared and every watch and kept view is read
 * afresh, since invalidations and change events were lost meanwhile.
 */
final class NearCachedDiscoveryClient implements DiscoveryClient {

    private static final Logger LOG = Logger.getLogger(NearCachedDiscoveryClient.class.getName());
    private static final InstanceFilter PASSING = new InstanceFilter(List.of(), true);
    private static final List<String> NEAR_CACHED_MAPS = List.of(GridNames.SERVICES_MAP, GridNames.SLICES_MAP);
    /** How long a lookup of a service seen before waits for the cluster before it answers what was last seen. */
    private static final Duration LOOKUP_WAIT = Duration.ofMillis(250);
    /** How long a starting smart client waits to be connected to every member once it has reached one. */
    private static final Duration EVERY_MEMBER_WAIT = Duration.ofSeconds(5);
    private static final int LOOKUP_READERS = 4;
    /** How often a reconnected client asks whether the cluster takes writes yet. */
    private static final Duration RESYNC_EVERY = Duration.ofSeconds(1);

    private final ClientSettings settings;
    private final ScheduledExecutorService background = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "meridian-sdk");
        thread.setDaemon(true);
        return thread;
    });
    /** Asks whether a (re)connected cluster takes writes yet: a thread of its own, since a question may wait. */
    private final ScheduledExecutorService resyncs = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meridian-sdk-resync");
        thread.setDaemon(true);
        return thread;
    });
    private final LastKnownViews lastKnown = new LastKnownViews();
    private final HealthyAnswers answers = new HealthyAnswers();
    /** Runs the lookups' reads of the cluster, which a cut-off member may hold for seconds. */
    private final ExecutorService lookupReaders = Executors.newFixedThreadPool(LOOKUP_READERS, runnable -> {
        Thread thread = new Thread(runnable, "meridian-sdk-lookup");
        thread.setDaemon(true);
        return thread;
    });
    private final BoundedLookups lookups;
    /** The registry's key of each service looked up, made once: a lookup allocates nothing. */
    private final Map<String, String> serviceKeys = new ConcurrentHashMap<>();
    private final Optional<SnapshotFile> snapshot;
    private final AtomicLong snapshotWrittenAt = new AtomicLong(-1);
    private final HazelcastInstance client;
    private final OnceOnline<HazelcastRegistry> registry;
    private final OnceOnline<FailureReports> reports;
    private final OnceWritable whenWritable;
    private final Ejections ejections;
    private final List<ServiceWatch> watches = new CopyOnWriteArrayList<>();
    private final List<SelfRegistration> registrations = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::drainAndClose, "meridian-sdk-shutdown");
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * False while lookups answer from the views this client kept: it started from a snapshot, or it lost the cluster,
     * and it has not yet read its services afresh from a cluster that takes writes (one restoring its registry from
     * its members' disks answers with a registry not restored yet).
     */
    private volatile boolean synced;
    /** As {@link #synced}, for the watches: false while they hand nothing new to their listeners. */
    private volatile boolean watchesSynced = true;

    NearCachedDiscoveryClient(ClientSettings settings) {
        this.settings = settings;
        this.snapshot = Optional.ofNullable(settings.snapshotDirectory())
                .map(directory -> new SnapshotFile(directory, settings.clusterName(), settings.namespace()));
        snapshot.ifPresent(file -> file.read().values().forEach(lastKnown::remember));
        snapshotWrittenAt.set(lastKnown.changeCount());
        boolean fromSnapshot = !lastKnown.all().isEmpty();
        this.synced = !fromSnapshot;

        CallbackThreads.bound();
        ConnectionWatcher connection = new ConnectionWatcher();
        this.client = HazelcastClient.newHazelcastClient(withNearCaches(clientConfig(connection)));
        this.registry = new OnceOnline<>(() -> registryOn(client));
        this.reports = new OnceOnline<>(() -> new DistributedFailureReports(client));
        this.whenWritable = new OnceWritable(resyncs, () -> registry.get().restoreGate().isOpen(), RESYNC_EVERY);
        this.ejections = new Ejections(settings.clock(), settings.ejectFor());
        this.lookups = new BoundedLookups(this::heldView,
                service -> registry.get().service(settings.namespace(), service), lastKnown, lookupReaders,
                LOOKUP_WAIT);
        if (!fromSnapshot) {
            awaitMembers(connection);
        }

        connection.onConnected(() -> resyncUnlessClosed(this::resync));
        connection.onDisconnected(() -> {
            synced = false;
            watchesSynced = false;
            watches.forEach(ServiceWatch::suspend);
        });
        if (snapshot.isPresent()) {
            long every = settings.snapshotEvery().toMillis();
            background.scheduleWithFixedDelay(this::writeSnapshotIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private static HazelcastRegistry registryOn(HazelcastInstance client) {
        return new HazelcastRegistry(client, RegistrySettings.defaults("client"), Clock.systemUTC());
    }

    /**
     * A client without a snapshot to answer from waits for its Hazelcast client to reach a member, at most the start
     * timeout; past it, it closes what it started and throws. A smart client then waits, a few seconds at most, to be
     * connected to every member, as a synchronous start would.
     */
    private void awaitMembers(ConnectionWatcher connection) {
        try {
            if (!connection.awaitFirstConnection(settings.startTimeout())) {
                closeResources();
                throw new RegistryUnavailableException("no member of " + settings.members() + " answered within "
                        + settings.startTimeout().toSeconds() + " s (the builder's startTimeout)", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeResources();
            throw new RegistryUnavailableException("interrupted while waiting for a member", e);
        }
        if (!settings.singleConnection()) {
            if (!MemberConnections.awaitAll(client, System.nanoTime() + EVERY_MEMBER_WAIT.toNanos())) {
                LOG.warning("started before reaching every member of " + settings.members()
                        + "; writes may wait for backup acknowledgements until it has");
            }
        }
    }

    /**
     * The client starts without waiting for the cluster (the constructor waits, bounded, when there is no snapshot
     * to answer from) and reconnects forever after losing it.
     */
    private ClientConfig clientConfig(ConnectionWatcher connection) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(settings.clusterName());
        config.getNetworkConfig().setAddresses(settings.members());
        config.getConnectionStrategyConfig().setAsyncStart(true).setReconnectMode(ReconnectMode.ASYNC)
                .getConnectionRetryConfig().setClusterConnectTimeoutMillis(-1)
                .setInitialBackoffMillis(250).setMaxBackoffMillis(5_000);
        if (settings.singleConnection()) {
            config.getNetworkConfig().setSmartRouting(false);
            config.setProperty("hazelcast.client.internal.skip.member.list.during.reconnection", "true");
        }
        config.addListenerConfig(new ListenerConfig(connection));
        // The SDK's own hook drains registrations first and closes the clients after.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.client.invocation.timeout.seconds", "5");
        RegistrySerialization.configure(config.getSerializationConfig());
        return config;
    }

    private ClientConfig withNearCaches(ClientConfig config) {
        for (String map : NEAR_CACHED_MAPS) {
            config.addNearCacheConfig(new NearCacheConfig(map)
                    .setInvalidateOnChange(true)
                    .setInMemoryFormat(InMemoryFormat.OBJECT)
                    .setTimeToLiveSeconds((int) Math.max(1, settings.nearCacheTtl().toSeconds())));
        }
        return config;
    }

    @Override
    public List<InstanceEntry> healthy(String service, InstanceQuery query) {
        ServiceView view = current(service);
        boolean noneEjected = ejections.isEmpty();
        List<InstanceEntry> kept = noneEjected ? answers.kept(view, query) : null;
        if (kept != null) {
            return kept;
        }
        List<InstanceEntry> healthy = view.select(PASSING).stream()
                .filter(query::matches)
                .filter(entry -> !ejections.isEjected(entry.instance().id()))
                .toList();
        if (noneEjected) {
            answers.keep(view, query, healthy);
        }
        return healthy;
    }

    /** The service from the near cache or the cluster, or what was last seen of it if the cluster is unreachable. */
    private ServiceView current(String service) {
        if (!synced) {
            Optional<ServiceView> fromSnapshot = lastKnown.get(service);
            if (fromSnapshot.isPresent()) {
                return fromSnapshot.get();
            }
        }
        return lookups.view(service);
    }

    /** The view the registry holds current, or {@code null} if it must be read (or the registry is not made yet). */
    private ServiceView heldView(String service) {
        HazelcastRegistry made = registry.madeOrNull();
        if (made == null) {
            return null;
        }
        String key = serviceKeys.get(service);
        if (key == null) {
            key = serviceKeys.computeIfAbsent(service,
                    name -> HazelcastRegistry.serviceKey(settings.namespace(), name));
        }
        return made.heldService(key);
    }

    @Override
    public void reportFailure(InstanceEntry instance) {
        ejections.eject(instance.instance().id());
        try {
            reports.get().reportFailure(instance.instance().namespace(), instance.instance().id());
        } catch (HazelcastClientOfflineException | HazelcastException e) {
            LOG.log(Level.FINE, "the cluster cannot be reached: " + instance.instance().id()
                    + " is ejected here only", e);
        }
    }

    @Override
    public Subscription watch(String service, Consumer<List<InstanceEntry>> listener) {
        ServiceWatch watch = new ServiceWatch(registry::get, settings.namespace(), service, view -> {
            lastKnown.remember(view);
            listener.accept(view.select(PASSING));
        });
        watches.add(watch);
        if (!watchesSynced || !watch.reread()) {
            lastKnown.get(service).ifPresent(watch::deliverStale);
        }
        return () -> {
            watch.close();
            watches.remove(watch);
        };
    }

    @Override
    public Registration register(ServiceInstance instance) {
        String namespace = settings.namespace();
        String asked = instance.namespace();
        if (!asked.equals(namespace) && !asked.equals(ServiceInstance.DEFAULT_NAMESPACE)) {
            throw new IllegalArgumentException("this client registers in namespace " + namespace + ", not " + asked
                    + ": the client's builder names the namespace");
        }
        HazelcastRegistry writer;
        try {
            writer = registry.get();
        } catch (HazelcastClientOfflineException | HazelcastException e) {
            throw new RegistryUnavailableException("the cluster cannot be reached to register " + instance.id(), e);
        }
        SelfRegistration registration = new SelfRegistration(writer, instance.inNamespace(namespace),
                settings.registrationTtl(),
                settings.deregisterCriticalAfter(), background);
        registrations.add(registration);
        return registration;
    }

    /**
     * After a (re)connection: the cluster may have restarted whole, so its CP groups are new and writes must find them
     * afresh; then, once it takes writes, the kept views are read afresh ({@link #readKeptViews}), and every watch
     * reads its service afresh, since change events were lost meanwhile (watches hand nothing new over since the
     * cluster was lost).
     */
    private void resync() {
        registry.ifMade().ifPresent(HazelcastRegistry::resync);
        whenWritable.start(() -> {
            readKeptViews();
            watchesSynced = true;
            watches.forEach(ServiceWatch::reread);
        }, "re-read the views this client keeps and the watched services");
    }

    /**
     * Drops the near caches, whose values may have missed their invalidations, reads every kept view afresh and lets
     * lookups read the cluster again.
     */
    private void readKeptViews() {
        for (String map : NEAR_CACHED_MAPS) {
            // Hazelcast has no public way to drop a client's near cache; its repair task would take a minute.
            if (client.getMap(map) instanceof NearCachedClientMapProxy<?, ?> nearCached) {
                nearCached.getNearCache().clear();
            }
        }
        for (String service : lastKnown.all().keySet()) {
            lastKnown.remember(registry.get().service(settings.namespace(), service));
        }
        synced = true;
    }

    private void writeSnapshotIfChanged() {
        long changes = lastKnown.changeCount();
        if (changes == snapshotWrittenAt.get()) {
            return;
        }
        try {
            snapshot.orElseThrow().write(lastKnown.all());
            snapshotWrittenAt.set(changes);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not write the snapshot " + snapshot.orElseThrow().path(), e);
        }
    }

    /** The shutdown hook: drain every registration at once, for the builder's period, then close. */
    private void drainAndClose() {
        registrations.parallelStream().forEach(registration -> {
            try {
                registration.drainAndDeregister(settings.drainOnShutdown());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not drain " + registration.instance().id()
                        + "; its TTL check will lapse instead", e);
            }
        });
        closeResources();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it closes.
            return;
        }
        closeResources();
    }

    /** A (re)connection heard while the client closes, after its resync thread stopped, needs nothing. */
    private void resyncUnlessClosed(Runnable resync) {
        try {
            resyncs.execute(resync);
        } catch (RejectedExecutionException stopped) {
            if (!closed.get()) {
                throw stopped;
            }
        }
    }

    private void closeResources() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        registrations.forEach(registration -> {
            try {
                registration.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not deregister " + registration.instance().id(), e);
            }
        });
        background.shutdownNow();
        resyncs.shutdownNow();
        lookupReaders.shutdownNow();
        snapshot.ifPresent(file -> writeSnapshotIfChanged());
        registry.ifMade().ifPresent(HazelcastRegistry::close);
        client.shutdown();
    }
}
