package io.meridian.registry;

import java.io.Serializable;
import java.util.List;

/**
 * The instances of one service at one moment, with the service's index: it grows with every change to the service,
 * including deregistering its last instance, so a watcher that saw index {@code n} can wait for anything newer.
 *
 * @param index     the service's index; 1 for a service that has never had an instance
 * @param instances every registered instance, healthy or not, ordered by id
 */
public record ServiceView(String namespace, String service, long index, List<InstanceEntry> instances)
        implements Serializable {

    public ServiceView {
        instances = List.copyOf(instances);
    }

    /** The instances that pass the filter, in the same order. */
    public List<InstanceEntry> select(InstanceFilter filter) {
        return instances.stream().filter(filter::matches).toList();
    }
}
