package io.meridian.registry.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.hazelcast.map.impl.DataAwareEntryEvent;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a service header's index from its serialized form, without decoding its slice summaries: the header's
 * serializer writes the index first. Hearing of a change and checking whether this member's copy has caught up with
 * it need only the index, where decoding a header of a few hundred slice summaries made a third of a member's
 * allocations under write load. Thread-safe.
 */
final class HeaderIndexes {

    private final InternalSerializationService serialization;

    HeaderIndexes(HazelcastInstance hazelcast) {
        this.serialization = (InternalSerializationService)
                ((SerializationServiceSupport) hazelcast).getSerializationService();
    }

    /** The index of the header these bytes hold. */
    long ofBytes(Data header) {
        if (header.getType() != RegistrySerialization.HEADER) {
            throw new IllegalArgumentException("not a service header's bytes: type " + header.getType());
        }
        try {
            return serialization.createObjectDataInput(header).readLong();
        } catch (IOException e) {
            throw new UncheckedIOException("a service header's bytes end before its index", e);
        }
    }

    /**
     * The index of the header an added or updated entry's event carries, on a member or a client (whose events
     * carry the value's bytes as members' do).
     */
    long ofEvent(EntryEvent<String, ServiceHeader> event) {
        return ofBytes(((DataAwareEntryEvent<String, ServiceHeader>) event).getNewValueData());
    }
}
