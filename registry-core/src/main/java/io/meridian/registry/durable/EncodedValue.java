package io.meridian.registry.durable;

import java.util.Map;

/**
 * A value of the durable state as its {@link ValueCodec} wrote it, with the index of the write that made it: what the
 * journal holds while it folds segments, so that it never decodes a value it only moves.
 */
record EncodedValue(long index, byte[] bytes) {

    /** Puts the value into the state unless the state holds the key at a higher or equal index. */
    static void mergeInto(Map<String, EncodedValue> state, String key, EncodedValue value) {
        state.merge(key, value, (held, offered) -> offered.index() > held.index() ? offered : held);
    }
}
