package io.meridian.registry.grid;

import io.meridian.registry.Check;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The committed state of one shard of the registry, held in one CP {@code IAtomicReference}: the service parts of
 * the instances whose id hashes here, the shard's index, and the service keys the last write touched (so that the
 * writer, which only gets the new value back, knows what to project).
 */
record Shard(long index, Map<String, ServicePart> parts, List<String> touched) implements Serializable {

    static final Shard EMPTY = new Shard(0, Map.of(), List.of());

    Shard {
        parts = Map.copyOf(parts);
        touched = List.copyOf(touched);
    }

    /** The index the next write takes: past this shard's and at least the writer's proposal. */
    long nextIndex(long proposedIndex) {
        return Math.max(index + 1, proposedIndex);
    }

    /** The service key holding the instance with this id in the namespace, or null. */
    String serviceKeyOf(String namespace, String instanceId) {
        String prefix = namespace + '/';
        for (Map.Entry<String, ServicePart> part : parts.entrySet()) {
            if (part.getKey().startsWith(prefix) && part.getValue().instances().containsKey(instanceId)) {
                return part.getKey();
            }
        }
        return null;
    }

    /** This shard with the instance put in its service's part (and taken out of another service's), at the index. */
    Shard withInstance(ServiceInstance instance, long newIndex) {
        String key = ServiceKeys.service(instance.namespace(), instance.service());
        String previousKey = serviceKeyOf(instance.namespace(), instance.id());
        Map<String, ServicePart> newParts = new HashMap<>(parts);
        long createIndex = newIndex;
        if (previousKey != null) {
            InstanceEntry previous = parts.get(previousKey).instances().get(instance.id());
            if (previousKey.equals(key)) {
                createIndex = previous.createIndex();
            } else {
                newParts.put(previousKey, without(parts.get(previousKey), instance.id(), newIndex));
            }
        }
        ServicePart part = parts.getOrDefault(key, new ServicePart(0, Map.of()));
        Map<String, InstanceEntry> instances = new HashMap<>(part.instances());
        instances.put(instance.id(), new InstanceEntry(instance, createIndex, newIndex));
        newParts.put(key, new ServicePart(newIndex, instances));
        List<String> touched = previousKey == null || previousKey.equals(key) ? List.of(key)
                : List.of(key, previousKey);
        return new Shard(newIndex, newParts, touched);
    }

    /** This shard without the instance, at the index; touching nothing if there is no such instance. */
    Shard withoutInstance(String namespace, String instanceId, long newIndex) {
        String key = serviceKeyOf(namespace, instanceId);
        if (key == null) {
            return new Shard(index, parts, List.of());
        }
        Map<String, ServicePart> newParts = new HashMap<>(parts);
        newParts.put(key, without(parts.get(key), instanceId, newIndex));
        return new Shard(newIndex, newParts, List.of(key));
    }

    /** The checks of a registered instance; empty if it is not registered. */
    List<Check> checksOf(String namespace, String instanceId) {
        String key = serviceKeyOf(namespace, instanceId);
        InstanceEntry entry = key == null ? null : parts.get(key).instances().get(instanceId);
        return entry == null ? List.of() : entry.instance().checks();
    }

    /**
     * This shard with the instance's checks changed by {@code change}, at the index; touching nothing if the instance
     * is gone or the checks come out the same.
     */
    Shard withChecks(String namespace, String instanceId, UnaryOperator<List<Check>> change, long newIndex) {
        String key = serviceKeyOf(namespace, instanceId);
        InstanceEntry entry = key == null ? null : parts.get(key).instances().get(instanceId);
        if (entry == null) {
            return new Shard(index, parts, List.of());
        }
        List<Check> changed = change.apply(entry.instance().checks());
        if (changed.equals(entry.instance().checks())) {
            return new Shard(index, parts, List.of());
        }
        Map<String, InstanceEntry> instances = new HashMap<>(parts.get(key).instances());
        instances.put(instanceId,
                new InstanceEntry(entry.instance().withChecks(changed), entry.createIndex(), newIndex));
        Map<String, ServicePart> newParts = new HashMap<>(parts);
        newParts.put(key, new ServicePart(newIndex, instances));
        return new Shard(newIndex, newParts, List.of(key));
    }

    private static ServicePart without(ServicePart part, String instanceId, long newIndex) {
        Map<String, InstanceEntry> instances = new HashMap<>(part.instances());
        instances.remove(instanceId);
        return new ServicePart(newIndex, instances);
    }
}
