package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.LazyMapEntry;
import com.hazelcast.spi.impl.SerializationServiceSupport;

import java.util.Map;

/**
 * An entry processor whose backups take the value it made on the owner, serialized once there, rather than running it
 * again: a backup then stores bytes it was sent, where running the processor would read the old value, change it and
 * write it anew on every backup. A run that changes nothing sends no backup, whatever an earlier run of the same
 * instance made (an invocation retried on the same member runs it again). Only for one key at a time
 * ({@code submitToKey}, {@code executeOnKey}): run over many keys, one instance would carry one key's value to all.
 * Only for maps kept in Hazelcast's {@code BINARY} format (the default, and the projection's), where the bytes are
 * stored as they are.
 *
 * @param <V> the map's values
 * @param <R> what the processor answers
 */
abstract class MadeOnOwner<V, R> implements EntryProcessor<String, V, R>, HazelcastInstanceAware {

    private transient SerializationService serialization;
    private transient Data made;

    @Override
    public final R process(Map.Entry<String, V> entry) {
        made = null;
        return apply(entry);
    }

    /** What the processor does to the entry; it changes the entry's value only through {@link #set}. */
    protected abstract R apply(Map.Entry<String, V> entry);

    @Override
    public final void setHazelcastInstance(HazelcastInstance member) {
        serialization = ((SerializationServiceSupport) member).getSerializationService();
    }

    /**
     * Sets the entry to the value, and keeps the value's bytes for the backups.
     *
     * @throws IllegalStateException if the processor runs outside a member, where it could not tell its backups
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected final void set(Map.Entry<String, V> entry, V value) {
        if (serialization == null) {
            throw new IllegalStateException("a projection step runs only on a member");
        }
        made = serialization.toData(value);
        ((Map.Entry) entry).setValue(made);
    }

    @Override
    public final EntryProcessor<String, V, R> getBackupProcessor() {
        return made == null ? null : new PutMade<>(made);
    }

    /** Puts the value its owner made into a backup copy as it is. */
    record PutMade<V, R>(Data value) implements EntryProcessor<String, V, R> {

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public R process(Map.Entry<String, V> entry) {
            // Map.Entry.setValue answers the old value, which Hazelcast's entry decodes to answer it (a header of
            // hundreds of slice summaries, on every backup of every write). Emptied first, it has none to decode; the
            // copy still ends up holding the value, as an update, since Hazelcast judges that by the value it read.
            ((LazyMapEntry) entry).remove();
            ((Map.Entry) entry).setValue(value);
            return null;
        }
    }
}
