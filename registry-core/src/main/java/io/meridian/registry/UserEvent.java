package io.meridian.registry;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One of Consul's user events: a named message fired at the cluster, for whatever listens to it (a deploy trigger, a
 * cache flush). The filters are the firer's say on which nodes, services and tags should act on it; Meridian keeps
 * and shows them, as Consul does, and acts on none.
 *
 * @param id            unique, given when the event is fired
 * @param name          the event's name
 * @param payload       up to {@link #MAX_PAYLOAD_BYTES} bytes, possibly empty
 * @param nodeFilter    a regular expression of node names, or empty
 * @param serviceFilter a service name, or empty
 * @param tagFilter     a tag of that service, or empty
 */
public record UserEvent(String id, String name, byte[] payload, String nodeFilter, String serviceFilter,
                        String tagFilter) implements Serializable {

    /** As in Consul, whose events travel by gossip and so are small. */
    public static final int MAX_PAYLOAD_BYTES = 512;

    public UserEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        payload = payload == null ? new byte[0] : payload.clone();
        nodeFilter = Objects.requireNonNullElse(nodeFilter, "");
        serviceFilter = Objects.requireNonNullElse(serviceFilter, "");
        tagFilter = Objects.requireNonNullElse(tagFilter, "");
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserEvent event && id.equals(event.id) && name.equals(event.name)
                && Arrays.equals(payload, event.payload) && nodeFilter.equals(event.nodeFilter)
                && serviceFilter.equals(event.serviceFilter) && tagFilter.equals(event.tagFilter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, Arrays.hashCode(payload), nodeFilter, serviceFilter, tagFilter);
    }

    @Override
    public String toString() {
        return "UserEvent[" + id + " " + name + ", " + payload.length + " bytes]";
    }
}
