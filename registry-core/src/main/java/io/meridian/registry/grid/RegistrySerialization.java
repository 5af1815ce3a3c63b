package io.meridian.registry.grid;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.internal.nio.IOUtil;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.meridian.registry.ChangeEvent;
import io.meridian.registry.HealthStatus;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Registers the serializers of the registry's stored values (shards, slices, headers, change events) and of what every
 * write sends (the projection's entry processors, the Raft registration), and turns on Java
 * deserialization filtering: only Meridian's classes ({@code io.meridian.}), Hazelcast's, the JDK's and arrays are
 * deserialized, so a peer on the member port cannot send a gadget chain from a library on the class path. Every member
 * and client of a Meridian cluster must call {@link #configure} on its configuration before it starts: a value written
 * with these serializers cannot be read without them.
 */
public final class RegistrySerialization {

    private static final int SHARD = 7_301;
    private static final int SLICE = 7_302;
    /** A service header's type id; {@link HeaderIndexes} reads its index from bytes of this type. */
    static final int HEADER = 7_303;
    private static final int APPLY_PART = 7_304;
    private static final int APPLY_SUMMARY = 7_305;
    private static final int ADVANCE_INDEX = 7_306;
    private static final int REGISTER_INSTANCE = 7_307;
    private static final int CHANGE_EVENT = 7_308;
    private static final int DEREGISTER_INSTANCE = 7_309;
    private static final int SLICE_STATE = 7_310;
    private static final int BUCKET_SUMMARY = 7_311;
    private static final int PUT_MADE = 7_312;
    private static final int READ_DIGEST = 7_313;
    private static final int SHARD_DIGEST = 7_314;
    private static final int PART_OF = 7_315;
    private static final int SERVICE_PART = 7_316;
    private static final int SET_CHECK_STATUS = 7_317;

    private RegistrySerialization() {
    }

    /** Adds the registry's serializers and the deserialization filter to a member's or client's configuration. */
    public static SerializationConfig configure(SerializationConfig config) {
        return config
                .setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
                        .setWhitelist(new ClassFilter().addPrefixes("io.meridian.")))
                .addSerializerConfig(new SerializerConfig().setTypeClass(Shard.class)
                        .setImplementation(new ShardSerializer()))
                .addSerializerConfig(new SerializerConfig().setTypeClass(ServiceSlice.class)
                        .setImplementation(new SliceSerializer()))
                .addSerializerConfig(new SerializerConfig().setTypeClass(ServiceHeader.class)
                        .setImplementation(new HeaderSerializer()))
                // Every write sends these to the owner and each backup, or through Raft to every CP member: with Java
                // serialization, reading them back was the partition threads' largest cost under write load.
                .addSerializerConfig(serializer(ApplyPart.class, APPLY_PART,
                        (out, apply) -> {
                            out.writeInt(apply.shardId());
                            WireFormat.writePart(out, apply.part());
                        },
                        in -> new ApplyPart(in.readInt(), WireFormat.readPart(in))))
                .addSerializerConfig(serializer(ApplySummary.class, APPLY_SUMMARY,
                        (out, apply) -> {
                            out.writeInt(apply.bucket());
                            WireFormat.writeSummary(out, apply.summary());
                            out.writeLong(apply.changeIndex());
                        },
                        in -> new ApplySummary(in.readInt(), WireFormat.readSummary(in), in.readLong())))
                .addSerializerConfig(serializer(MadeOnOwner.PutMade.class, PUT_MADE,
                        (out, put) -> IOUtil.writeData(out, put.value()),
                        in -> new MadeOnOwner.PutMade<>(IOUtil.readData(in))))
                .addSerializerConfig(serializer(AdvanceIndex.class, ADVANCE_INDEX,
                        (out, advance) -> out.writeLong(advance.changeIndex()),
                        in -> new AdvanceIndex(in.readLong())))
                .addSerializerConfig(serializer(RegisterInstance.class, REGISTER_INSTANCE,
                        (out, register) -> {
                            WireFormat.writeInstance(out, register.instance());
                            out.writeLong(register.proposedIndex());
                        },
                        in -> new RegisterInstance(WireFormat.readInstance(in), in.readLong())))
                .addSerializerConfig(serializer(DeregisterInstance.class, DEREGISTER_INSTANCE,
                        (out, deregister) -> {
                            out.writeString(deregister.namespace());
                            out.writeString(deregister.instanceId());
                            out.writeLong(deregister.proposedIndex());
                        },
                        in -> new DeregisterInstance(in.readString(), in.readString(), in.readLong())))
                // Anti-entropy reads one of these per slice and per header bucket every round: with Java serialization,
                // reading them back was most of its cost, and it ran on the partition threads writes need.
                .addSerializerConfig(serializer(SliceState.class, SLICE_STATE, WireFormat::writeSliceState,
                        WireFormat::readSliceState))
                .addSerializerConfig(serializer(BucketSummary.class, BUCKET_SUMMARY, WireFormat::writeSummary,
                        WireFormat::readSummary))
                // Anti-entropy queries every committed shard every round, and a consistent read every shard once: the
                // leader reads each query back, with Java serialization about a sixth of its cost.
                .addSerializerConfig(serializer(ReadDigest.class, READ_DIGEST, (out, query) -> { },
                        in -> new ReadDigest()))
                .addSerializerConfig(serializer(ShardDigest.class, SHARD_DIGEST, WireFormat::writeDigest,
                        WireFormat::readDigest))
                .addSerializerConfig(serializer(PartOf.class, PART_OF,
                        (out, query) -> out.writeString(query.serviceKey()), in -> new PartOf(in.readString())))
                .addSerializerConfig(serializer(ServicePart.class, SERVICE_PART, WireFormat::writePart,
                        WireFormat::readPart))
                // A check's change of status goes through Raft to every CP member.
                .addSerializerConfig(serializer(SetCheckStatus.class, SET_CHECK_STATUS,
                        (out, set) -> {
                            out.writeString(set.namespace());
                            out.writeString(set.instanceId());
                            out.writeString(set.checkId());
                            out.writeByte(set.status().ordinal());
                            out.writeLong(set.proposedIndex());
                        },
                        in -> new SetCheckStatus(in.readString(), in.readString(), in.readString(),
                                HealthStatus.values()[in.readByte()], in.readLong())))
                // The change-event stream keeps up to 100,000 of these on every member: a third of Java's size.
                .addSerializerConfig(serializer(ChangeEvent.class, CHANGE_EVENT, WireFormat::writeChange,
                        WireFormat::readChange));
    }

    private interface Writer<T> {
        void write(ObjectDataOutput out, T value) throws IOException;
    }

    private interface Reader<T> {
        T read(ObjectDataInput in) throws IOException;
    }

    /** A serializer of one type, by its type id, writer and reader. */
    private static <T> SerializerConfig serializer(Class<T> type, int typeId, Writer<T> writer, Reader<T> reader) {
        return new SerializerConfig().setTypeClass(type).setImplementation(new StreamSerializer<T>() {
            @Override
            public void write(ObjectDataOutput out, T value) throws IOException {
                writer.write(out, value);
            }

            @Override
            public T read(ObjectDataInput in) throws IOException {
                return reader.read(in);
            }

            @Override
            public int getTypeId() {
                return typeId;
            }
        });
    }

    private static final class ShardSerializer implements StreamSerializer<Shard> {
        @Override
        public void write(ObjectDataOutput out, Shard shard) throws IOException {
            out.writeLong(shard.index());
            out.writeInt(shard.parts().size());
            for (Map.Entry<String, ServicePart> part : shard.parts().entrySet()) {
                out.writeString(part.getKey());
                WireFormat.writePart(out, part.getValue());
            }
            WireFormat.writeStrings(out, shard.touched());
        }

        @Override
        public Shard read(ObjectDataInput in) throws IOException {
            long index = in.readLong();
            int size = in.readInt();
            Map<String, ServicePart> parts = new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                parts.put(in.readString(), WireFormat.readPart(in));
            }
            return new Shard(index, parts, WireFormat.readStrings(in));
        }

        @Override
        public int getTypeId() {
            return SHARD;
        }
    }

    private static final class SliceSerializer implements StreamSerializer<ServiceSlice> {
        @Override
        public void write(ObjectDataOutput out, ServiceSlice slice) throws IOException {
            out.writeInt(slice.parts().size());
            for (Map.Entry<Integer, ServicePart> part : slice.parts().entrySet()) {
                out.writeInt(part.getKey());
                WireFormat.writePart(out, part.getValue());
            }
        }

        @Override
        public ServiceSlice read(ObjectDataInput in) throws IOException {
            int size = in.readInt();
            Map<Integer, ServicePart> parts = new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                parts.put(in.readInt(), WireFormat.readPart(in));
            }
            return new ServiceSlice(parts);
        }

        @Override
        public int getTypeId() {
            return SLICE;
        }
    }

    private static final class HeaderSerializer implements StreamSerializer<ServiceHeader> {
        @Override
        public void write(ObjectDataOutput out, ServiceHeader header) throws IOException {
            // The index first: HeaderIndexes reads it without decoding the rest.
            out.writeLong(header.index());
            out.writeInt(header.buckets().size());
            for (Map.Entry<Integer, BucketSummary> bucket : header.buckets().entrySet()) {
                out.writeInt(bucket.getKey());
                WireFormat.writeSummary(out, bucket.getValue());
            }
        }

        @Override
        public ServiceHeader read(ObjectDataInput in) throws IOException {
            long index = in.readLong();
            int size = in.readInt();
            Map<Integer, BucketSummary> buckets = new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                buckets.put(in.readInt(), WireFormat.readSummary(in));
            }
            return new ServiceHeader(index, buckets);
        }

        @Override
        public int getTypeId() {
            return HEADER;
        }
    }
}
