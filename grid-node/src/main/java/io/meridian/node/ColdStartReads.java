package io.meridian.node;

import io.meridian.registry.Check;
import io.meridian.registry.CheckOutcome;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.ServiceCatalog;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The registry as the HTTP API and DNS read it: until this node's start-up sync has opened its reads
 * ({@link StartupSync#readsOpen}), its reads of services, the catalog and instances fail with
 * {@link RegistryUnavailableException} (503, SERVFAIL). A node started on its disk after the whole cluster stopped
 * holds an empty projection until its own disk has merged into the cluster's state, so it would answer every service
 * with no instances and an index gone back; a discovery client told so drops endpoints it could still use, where a
 * 503 leaves it with what it holds, as a Consul server without a leader does. Writes, linearizable reads and look-ups
 * of an instance's or check's service pass through unchanged.
 */
final class ColdStartReads implements Registry {

    private final Registry registry;
    private final BooleanSupplier readsOpen;

    ColdStartReads(Registry registry, BooleanSupplier readsOpen) {
        this.registry = registry;
        this.readsOpen = readsOpen;
    }

    @Override
    public boolean readsOpen() {
        return readsOpen.getAsBoolean();
    }

    private void requireRestored() {
        if (!readsOpen()) {
            throw notRestored();
        }
    }

    private static RegistryUnavailableException notRestored() {
        return new RegistryUnavailableException("this node is restoring the registry from its disk after the cluster"
                + " stopped; reads answer once its disk has merged into the cluster's state", null);
    }

    @Override
    public ServiceView service(String namespace, String service) {
        requireRestored();
        return registry.service(namespace, service);
    }

    @Override
    public Optional<ServiceView> heldService(String namespace, String service) {
        return readsOpen() ? registry.heldService(namespace, service) : Optional.empty();
    }

    @Override
    public CompletableFuture<ServiceView> awaitService(String namespace, String service, long afterIndex) {
        return onceRestored(() -> registry.awaitService(namespace, service, afterIndex));
    }

    @Override
    public Optional<CompletableFuture<ServiceView>> awaitHeldService(String namespace, String service,
                                                                      long afterIndex) {
        return readsOpen() ? registry.awaitHeldService(namespace, service, afterIndex) : Optional.empty();
    }

    @Override
    public ServiceCatalog catalog(String namespace) {
        requireRestored();
        return registry.catalog(namespace);
    }

    @Override
    public CompletableFuture<Long> awaitCatalog(String namespace, long afterIndex) {
        return onceRestored(() -> registry.awaitCatalog(namespace, afterIndex));
    }

    /** The wait, or a wait failed at once while reads are closed: a blocking query answers 503 like any other read. */
    private <T> CompletableFuture<T> onceRestored(Supplier<CompletableFuture<T>> wait) {
        return readsOpen() ? wait.get() : CompletableFuture.failedFuture(notRestored());
    }

    @Override
    public Set<String> namespaces() {
        requireRestored();
        return registry.namespaces();
    }

    @Override
    public List<InstanceEntry> instances(String namespace) {
        requireRestored();
        return registry.instances(namespace);
    }

    @Override
    public Optional<InstanceEntry> instanceIgnoringCase(String namespace, String instanceId) {
        requireRestored();
        return registry.instanceIgnoringCase(namespace, instanceId);
    }

    @Override
    public long register(ServiceInstance instance) {
        return registry.register(instance);
    }

    @Override
    public long deregister(String namespace, String instanceId) {
        return registry.deregister(namespace, instanceId);
    }

    @Override
    public long updateCheckStatus(String namespace, String instanceId, String checkId, HealthStatus status) {
        return registry.updateCheckStatus(namespace, instanceId, checkId, status);
    }

    @Override
    public long putCheck(String namespace, String instanceId, Check check) {
        return registry.putCheck(namespace, instanceId, check);
    }

    @Override
    public long removeCheck(String namespace, String checkId) {
        return registry.removeCheck(namespace, checkId);
    }

    @Override
    public void renewTtl(String namespace, String checkId, HealthStatus status, String output) {
        registry.renewTtl(namespace, checkId, status, output);
    }

    @Override
    public Map<String, CheckOutcome> checkOutcomes(String namespace, Collection<String> checkIds) {
        return registry.checkOutcomes(namespace, checkIds);
    }

    @Override
    public ServiceView serviceConsistent(String namespace, String service) {
        return registry.serviceConsistent(namespace, service);
    }

    @Override
    public Optional<String> serviceOfInstance(String namespace, String instanceId) {
        return registry.serviceOfInstance(namespace, instanceId);
    }

    @Override
    public Optional<String> serviceOfCheck(String namespace, String checkId) {
        return registry.serviceOfCheck(namespace, checkId);
    }
}
