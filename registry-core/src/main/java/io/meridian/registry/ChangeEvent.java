package io.meridian.registry;

import java.io.Serializable;
import java.util.Objects;

/**
 * One committed change to one instance, as the change-event stream carries it.
 *
 * @param index     the registry index of the change, the instance's modify index (for a deregistration, the index of
 *                  the write that removed it)
 * @param type      what happened to the instance
 * @param namespace the instance's namespace
 * @param service   the instance's service
 * @param instance  the instance's id
 * @param state     the instance as it is after the change, its checks' statuses included; {@code null} once
 *                  deregistered
 */
public record ChangeEvent(long index, ChangeType type, String namespace, String service, String instance,
                          InstanceEntry state) implements Serializable {

    public ChangeEvent {
        Objects.requireNonNull(type, "type");
        if ((state == null) != (type == ChangeType.DEREGISTERED)) {
            throw new IllegalArgumentException("a " + type + " event " + (state == null ? "needs" : "has no")
                    + " state");
        }
    }

    /**
     * The event's id: the same for every delivery of the same change, so that a consumer that may see an event twice
     * (delivery is at least once) can drop the second.
     */
    public String id() {
        return namespace + '/' + instance + '@' + index + '/' + type.wireName();
    }
}
