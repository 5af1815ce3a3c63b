package io.meridian.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import io.meridian.health.schedule.DistributedFailureReports;
import io.meridian.registry.FailureReports;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.ServiceView;
import io.meridian.registry.grid.GridNames;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySerialization;
import io.meridian.registry.grid.RegistrySettings;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@link DiscoveryClient} on Hazelcast clients: lookups read through a client with near caches on the
 * projection's service headers and slices (invalidated on change, bounded by a TTL); watches are fed by a second
 * client without near caches, since an entry event can overtake the invalidation of the near-cached value it is about,
 * and a watcher must not be woken with the value from before the change.
 */
final class NearCachedDiscoveryClient implements DiscoveryClient {

    private static final InstanceFilter PASSING = new InstanceFilter(List.of(), true);

    private final HazelcastInstance client;
    private final HazelcastInstance watchClient;
    private final HazelcastRegistry registry;
    private final HazelcastRegistry watchRegistry;
    private final String namespace;
    private final Ejections ejections;
    private final FailureReports reports;

    NearCachedDiscoveryClient(List<String> members, String clusterName, String namespace, Duration nearCacheTtl,
                              Ejections ejections) {
        ClientConfig config = clientConfig(members, clusterName);
        for (String map : List.of(GridNames.SERVICES_MAP, GridNames.SLICES_MAP)) {
            config.addNearCacheConfig(new NearCacheConfig(map)
                    .setInvalidateOnChange(true)
                    .setInMemoryFormat(InMemoryFormat.OBJECT)
                    .setTimeToLiveSeconds((int) Math.max(1, nearCacheTtl.toSeconds())));
        }
        this.client = HazelcastClient.newHazelcastClient(config);
        this.watchClient = HazelcastClient.newHazelcastClient(clientConfig(members, clusterName));
        this.registry = new HazelcastRegistry(client, RegistrySettings.defaults("client"), Clock.systemUTC());
        this.watchRegistry = new HazelcastRegistry(watchClient, RegistrySettings.defaults("client"), Clock.systemUTC());
        this.namespace = namespace;
        this.ejections = ejections;
        this.reports = new DistributedFailureReports(client);
    }

    private static ClientConfig clientConfig(List<String> members, String clusterName) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.getNetworkConfig().setAddresses(members);
        RegistrySerialization.configure(config.getSerializationConfig());
        return config;
    }

    @Override
    public List<InstanceEntry> healthy(String service, InstanceQuery query) {
        return registry.service(namespace, service).select(PASSING).stream()
                .filter(query::matches)
                .filter(entry -> !ejections.isEjected(entry.instance().id()))
                .toList();
    }

    @Override
    public void reportFailure(InstanceEntry instance) {
        ejections.eject(instance.instance().id());
        reports.reportFailure(instance.instance().namespace(), instance.instance().id());
    }

    @Override
    public Subscription watch(String service, Consumer<List<InstanceEntry>> listener) {
        AtomicBoolean cancelled = new AtomicBoolean();
        ServiceView now = watchRegistry.service(namespace, service);
        listener.accept(now.select(PASSING));
        follow(service, now.index(), listener, cancelled);
        return () -> cancelled.set(true);
    }

    /** Waits for the next change past {@code index}, tells the listener, and waits again, until cancelled. */
    private void follow(String service, long index, Consumer<List<InstanceEntry>> listener, AtomicBoolean cancelled) {
        watchRegistry.awaitService(namespace, service, index).thenAccept(view -> {
            if (!cancelled.get() && watchClient.getLifecycleService().isRunning()) {
                listener.accept(view.select(PASSING));
                follow(service, view.index(), listener, cancelled);
            }
        });
    }

    @Override
    public void close() {
        registry.close();
        watchRegistry.close();
        client.shutdown();
        watchClient.shutdown();
    }
}
