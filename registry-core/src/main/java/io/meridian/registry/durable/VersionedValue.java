package io.meridian.registry.durable;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * One value of the durable state with the index of the write that made it. For any one key, the value with the
 * higher index is the newer one, so two copies of the state merge by keeping, key by key, the higher index.
 *
 * @param index the index of the write that made the value
 * @param value the value; a registry service part or the ACL state
 */
public record VersionedValue(long index, Serializable value) implements Serializable {

    public VersionedValue {
        Objects.requireNonNull(value, "value");
    }

    /** Puts the value into the state unless the state holds the key at a higher or equal index. */
    public static void mergeInto(Map<String, VersionedValue> state, String key, VersionedValue value) {
        state.merge(key, value, (held, offered) -> offered.index() > held.index() ? offered : held);
    }
}
