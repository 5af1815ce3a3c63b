package io.meridian.registry.grid;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.LazyMapEntry;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.AbstractMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A backup gets exactly the value its owner made, without decoding the value it replaces, and nothing when the owner's
 * run changed nothing.
 */
class MadeOnOwnerTest {

    private final InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
            .setConfig(RegistrySerialization.configure(new SerializationConfig())).build();

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aBackupStoresTheSliceItsOwnerMadeAndARunThatChangesNothingSendsNone() {
        ServicePart part = new ServicePart(42, Map.of("web-1",
                new InstanceEntry(ServiceInstance.builder("web", "web-1").build(), 42, 42)));
        ApplyPart apply = onMember(new ApplyPart(7, part));
        // What a map entry holds in BINARY format once set: the value's bytes.
        Map.Entry<String, Object> owner = new AbstractMap.SimpleEntry<>("web#7", null);

        apply.process((Map.Entry) owner);
        EntryProcessor<String, ServiceSlice, BucketSummary> backup = apply.getBackupProcessor();
        assertNotNull(backup, "the run changed the slice");
        // The backup's entry as Hazelcast hands it over, holding bytes no serializer reads: taking the new value must
        // not decode the old one.
        byte[] unreadable = {0, 0, 0, 0, 0, 0, 0x7f, 0x7f, 1, 2, 3};
        Map.Entry<String, Object> copy = new LazyMapEntry<>(serialization.toData("web#7"), new HeapData(unreadable),
                serialization);
        backup.process((Map.Entry) copy);
        ServiceSlice copied = serialization.toObject(copy.getValue());
        assertEquals(ServiceSlice.EMPTY.with(7, part), copied);
        assertEquals(copied, (ServiceSlice) serialization.toObject(owner.getValue()));

        owner.setValue(copied);
        apply.process((Map.Entry) owner);
        assertNull(apply.getBackupProcessor(), "run again (a retry on the same member), it changed nothing");
    }

    private <P extends MadeOnOwner<?, ?>> P onMember(P processor) {
        processor.setHazelcastInstance((HazelcastInstance) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HazelcastInstance.class, SerializationServiceSupport.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getSerializationService")) {
                        return serialization;
                    }
                    throw new UnsupportedOperationException(method.getName());
                }));
        return processor;
    }
}
