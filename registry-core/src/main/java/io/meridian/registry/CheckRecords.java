package io.meridian.registry;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What the health checker keeps outside Raft, because it changes far more often than a check's status: the leases of
 * TTL checks (renewed by the instances) and the last run of every check (written by the member that runs it). Only a
 * change of status goes through the {@link Registry}. Both are gone once their check is. Implementations are
 * thread-safe; their writes survive the loss of any one member, and on each side of a split the latest write wins.
 */
public interface CheckRecords {

    /**
     * Stores a TTL check's renewal of the given instance's check, and waits until it is stored.
     *
     * @throws RegistryUnavailableException if it could not be stored within the write timeout
     */
    void renew(String namespace, String instanceId, String checkId, TtlLease lease);

    /**
     * The latest renewal of the instance's TTL check; empty if it was never renewed since the check was registered.
     *
     * @throws RuntimeException if the lease cannot be read now (its owner is cut off, or the stored value is not a
     *                          lease); the caller looks again later
     */
    Optional<TtlLease> lease(String namespace, String instanceId, String checkId);

    /** Stores the latest run of a check, without waiting; a lost record is replaced by the check's next run. */
    void record(String namespace, String checkId, CheckOutcome outcome);

    /** The last run of each of the given checks that has run, by check id. */
    Map<String, CheckOutcome> outcomes(String namespace, Collection<String> checkIds);
}
