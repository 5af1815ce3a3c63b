package io.meridian.registry.grid;

/** The names of the Hazelcast structures the registry uses, for members to configure (backups, near caches). */
public final class GridNames {

    /** The change-event stream: a ring buffer of {@link io.meridian.registry.ChangeEvent}s. */
    public static final String CHANGE_EVENTS = "meridian-change-events";
    /** Slices of services' instances: {@code namespace/service/bucket} to a slice. */
    public static final String SLICES_MAP = "meridian-slices";
    /** Service headers: {@code namespace/service} to its index and slice summaries. */
    public static final String SERVICES_MAP = "meridian-services";
    /**
     * Namespace indexes as members of earlier versions kept them (namespace to an index that grows with every change
     * in it); members of this version derive them from the headers ({@code NamespaceIndexes}) and only configure the
     * map, for the earlier members of a rolling upgrade.
     */
    public static final String NAMESPACES_MAP = "meridian-namespaces";
    /** TTL leases: {@code namespace/checkId} to the last renewal. */
    public static final String TTL_LEASES_MAP = "meridian-ttl-leases";
    /** The last run of each check: {@code namespace/checkId} to a {@code CheckOutcome}. */
    public static final String CHECK_OUTCOMES_MAP = "meridian-check-outcomes";
    /** Where each check is: {@code namespace/checkId} to {@code namespace/service/instanceId}. */
    public static final String CHECKS_MAP = "meridian-checks";
    /** Members that refuse registrations for lack of heap: a member's UUID to why ({@code FullMembers}). */
    public static final String FULL_MEMBERS_MAP = "meridian-full-members";
    /** The CP {@code IAtomicReference} that records the registry's layout, set by the first write. */
    public static final String LAYOUT = "meridian-layout";

    /** Prefix of the CP {@code IAtomicReference}s that hold the shards, in the default CP group. */
    public static final String SHARD_PREFIX = "meridian-shard-";

    private GridNames() {
    }
}
