package io.meridian.registry.durable;

import java.util.Map;

/**
 * What a store of the cluster's durable state writes through: a gate before each write, closed while a cold start
 * restores, and a journal after it, which returns once a majority of members has the change on disk.
 */
public interface DurableWrites {

    /** @throws io.meridian.registry.RegistryUnavailableException while a cold start restores */
    void requireWritable();

    /**
     * Returns once the changes are durable.
     *
     * @throws io.meridian.registry.RegistryUnavailableException if no majority of members put them on disk in time
     */
    void persist(Map<String, VersionedValue> changes);
}
