package io.meridian.client.balance;

import io.meridian.registry.InstanceEntry;

import java.util.List;
import java.util.Optional;

/** Picks among the instances in the caller's zone (their {@code zone} meta) while there are any, else among all. */
public final class SameZoneFirst implements LoadBalancer {

    private final String zone;
    private final LoadBalancer within;

    public SameZoneFirst(String zone, LoadBalancer within) {
        this.zone = zone;
        this.within = within;
    }

    @Override
    public Optional<InstanceEntry> pick(List<InstanceEntry> candidates) {
        List<InstanceEntry> local = candidates.stream()
                .filter(entry -> zone.equals(entry.instance().meta().get("zone"))).toList();
        return within.pick(local.isEmpty() ? candidates : local);
    }
}
