package io.meridian.operator;

import io.meridian.registry.durable.VersionedValue;

import java.util.Map;

/**
 * The cluster's durable state as a whole, behind {@code GET} and {@code PUT /v1/snapshot}: the registry's service
 * parts and the ACL state, each with the index of the write that made it.
 */
public interface DurableState {

    /** Every value of the committed state, read from the CP group. */
    Map<String, VersionedValue> committed();

    /**
     * Makes the committed state exactly the given one: registrations and ACLs the state lacks are removed.
     *
     * @return how many service parts changed
     * @throws IllegalArgumentException if the state was written with another shard count
     * @throws io.meridian.registry.RegistryUnavailableException if the cluster does not take writes; then part of the
     *                                                           state may be in place, and the restore is to be retried
     */
    int replace(Map<String, VersionedValue> state);
}
