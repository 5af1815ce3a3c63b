package io.meridian.registry;

import java.util.List;

/**
 * Which instances of a service a lookup wants.
 *
 * @param tags        tags an instance must all carry
 * @param passingOnly only instances whose checks all pass
 */
public record InstanceFilter(List<String> tags, boolean passingOnly) {

    /** Every instance. */
    public static final InstanceFilter ALL = new InstanceFilter(List.of(), false);

    public InstanceFilter {
        tags = List.copyOf(tags);
    }

    /** Whether the entry is wanted. */
    public boolean matches(InstanceEntry entry) {
        ServiceInstance instance = entry.instance();
        return instance.tags().containsAll(tags) && (!passingOnly || instance.health() == HealthStatus.PASSING);
    }
}
