package io.meridian.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The service registry: register and deregister instances, look them up, and wait for changes.
 *
 * <p>Writes are linearizable and durable once they return: each is committed to a majority before it is
 * acknowledged. Reads come from a projection that follows the committed state within milliseconds, except
 * {@link #serviceConsistent}, which reads the committed state itself. Every method is thread-safe.
 */
public interface Registry {

    /**
     * Registers an instance, replacing any instance with the same id in its namespace (also one of another service).
     *
     * @return the index of the change, which the service's index now has reached
     * @throws InvalidRegistrationException  if the instance breaks a rule; nothing is written
     * @throws RegistryFullException         if the node has no room for it; nothing is written
     * @throws RegistryUnavailableException  if no majority committed the write in time
     */
    long register(ServiceInstance instance);

    /**
     * Removes the instance with the given id.
     *
     * @return the index of the change
     * @throws UnknownInstanceException     if no instance has that id in the namespace
     * @throws RegistryUnavailableException if no majority committed the write in time
     */
    long deregister(String namespace, String instanceId);

    /**
     * Sets the status of one check of an instance, through the committed state like any write. Health checking calls
     * it only when a check's status changes.
     *
     * @return the index of the change, or 0 if nothing changed: the status was already that, or the instance or the
     *         check is gone
     * @throws RegistryUnavailableException if no majority committed the write in time
     */
    long updateCheckStatus(String namespace, String instanceId, String checkId, HealthStatus status);

    /**
     * Adds a check to a registered instance, or replaces its check with the same id, through the committed state.
     * Maintenance and draining are checks too ({@link CheckKind#MAINTENANCE}, {@link CheckKind#DRAIN}).
     *
     * @return the index of the change, or 0 if the instance already had exactly that check
     * @throws InvalidRegistrationException if the check breaks a rule
     * @throws UnknownInstanceException     if no instance has that id in the namespace
     * @throws RegistryUnavailableException if no majority committed the write in time
     */
    long putCheck(String namespace, String instanceId, Check check);

    /**
     * Removes a check, found by its id, from its instance.
     *
     * @return the index of the change
     * @throws UnknownCheckException        if no registered instance has a check with that id
     * @throws RegistryUnavailableException if no majority committed the write in time
     */
    long removeCheck(String namespace, String checkId);

    /**
     * Renews the lease of a TTL check with a status and a note ({@code PUT /v1/agent/check/pass/:id}). The lease is
     * written to an AP map, never through Raft; a renewal that changes the check's status also commits the change
     * before it returns, so every lookup shows it as it shows any write. The health checker turns a lapsed lease
     * critical.
     *
     * @throws UnknownCheckException        if no TTL check has that id in the namespace
     * @throws RegistryUnavailableException if the lease could not be stored, or the status change not committed, in
     *                                      time
     */
    void renewTtl(String namespace, String checkId, HealthStatus status, String output);

    /** The last run of each of the given checks that has run, by check id. */
    Map<String, CheckOutcome> checkOutcomes(String namespace, Collection<String> checkIds);

    /**
     * The instances of a service from this member's copy of the read projection, held in memory and kept current by
     * change events, so that a lookup costs no read: it sees every write this member acknowledged before it, and
     * other members' writes within milliseconds (within 1 s should a change event be lost). A service never seen is
     * empty with index 1. The same view object comes back until the service changes.
     */
    ServiceView service(String namespace, String service);

    /**
     * What {@link #service} would answer without reading: the view this member holds for the service, if it holds one
     * that is current (kept by change events, and read within the last second); empty if {@link #service} would read.
     */
    Optional<ServiceView> heldService(String namespace, String service);

    /**
     * The instances of a service read from the committed state, reflecting every write acknowledged before the call.
     * <b>Warning:</b> it reads every shard of the registry: use it rarely.
     *
     * @throws RegistryUnavailableException if the committed state cannot be read
     */
    ServiceView serviceConsistent(String namespace, String service);

    /**
     * Completes with the service's view once its index is past {@code afterIndex}: at once if it already is. Every
     * caller waiting on the same service shares one waiter and one read; each gets a future of its own. The future
     * never times out by itself: a caller bounds its wait by completing its future with {@code null}, which stops the
     * wait and leaves nothing behind.
     */
    CompletableFuture<ServiceView> awaitService(String namespace, String service, long afterIndex);

    /**
     * {@link #awaitService} for a caller that must not block, such as a thread that serves many connections: the same
     * wait, on the view this member holds; empty, starting no wait, where {@link #awaitService} would read first (this
     * member holds no view of the service, or one older than an index it heard of).
     */
    Optional<CompletableFuture<ServiceView>> awaitHeldService(String namespace, String service, long afterIndex);

    /** The services of a namespace with their tags. */
    ServiceCatalog catalog(String namespace);

    /**
     * Whether reads of services, the catalog and instances answer now: a node restoring its registry from disk after
     * the whole cluster stopped answers none until its disk has merged. True unless an implementation says otherwise.
     */
    default boolean readsOpen() {
        return true;
    }

    /** Completes with the namespace's index once it is past {@code afterIndex}; the same sharing rules as above. */
    CompletableFuture<Long> awaitCatalog(String namespace, long afterIndex);

    /** Every namespace anything was ever registered in. */
    Set<String> namespaces();

    /** Every instance registered in the namespace, ordered by service and id. */
    List<InstanceEntry> instances(String namespace);

    /**
     * The instance with this id, matched without regard to case (as DNS names are), found through an index of ids
     * rather than a scan; empty if none is registered.
     */
    Optional<InstanceEntry> instanceIgnoringCase(String namespace, String instanceId);

    /**
     * The service an instance is registered in, read from the committed state; empty if it is not registered.
     *
     * @throws RegistryUnavailableException if the committed state cannot be read
     */
    Optional<String> serviceOfInstance(String namespace, String instanceId);

    /** The service of the instance a check belongs to; empty if no registered instance has the check. */
    Optional<String> serviceOfCheck(String namespace, String checkId);
}
