package io.meridian.registry;

import java.io.Serializable;

/**
 * A registered instance with the registry's bookkeeping: the index at which it was first registered and the index of
 * its last change, both from the registry's growing index.
 */
public record InstanceEntry(ServiceInstance instance, long createIndex, long modifyIndex) implements Serializable {
}
