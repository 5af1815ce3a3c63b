package io.meridian.registry.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.meridian.registry.ChangeEvent;
import io.meridian.registry.ChangeType;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.HttpOptions;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.NamedPort;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Thresholds;
import io.meridian.registry.Weights;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of the registry's values inside Hazelcast: field by field, no class descriptors, so a shard or a
 * slice is read and written several times faster than with Java serialization. Fields are written in declaration
 * order; a change of order or type is a change of format.
 *
 * <p>Named ports came later: an instance with none is written exactly as before, so members of the earlier version
 * read it; one with named ports writes its meta count as {@code -(count + 1)} and its ports after its meta pairs,
 * which only this version reads. Named ports are for a cluster whose members all run this version.
 */
final class WireFormat {

    private static final long NO_DURATION = -1;

    private WireFormat() {
    }

    static void writePart(ObjectDataOutput out, ServicePart part) throws IOException {
        out.writeLong(part.index());
        out.writeInt(part.instances().size());
        for (InstanceEntry entry : part.instances().values()) {
            writeEntry(out, entry);
        }
    }

    static ServicePart readPart(ObjectDataInput in) throws IOException {
        long index = in.readLong();
        int size = in.readInt();
        Map<String, InstanceEntry> instances = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            InstanceEntry entry = readEntry(in);
            instances.put(entry.instance().id(), entry);
        }
        return new ServicePart(index, instances);
    }

    static void writeDigest(ObjectDataOutput out, ShardDigest digest) throws IOException {
        out.writeInt(digest.partIndexes().size());
        for (Map.Entry<String, Long> part : digest.partIndexes().entrySet()) {
            out.writeString(part.getKey());
            out.writeLong(part.getValue());
        }
        out.writeInt(digest.checkLocations().size());
        for (Map.Entry<String, String> location : digest.checkLocations().entrySet()) {
            out.writeString(location.getKey());
            out.writeString(location.getValue());
        }
    }

    static ShardDigest readDigest(ObjectDataInput in) throws IOException {
        int parts = in.readInt();
        HashMap<String, Long> indexes = new HashMap<>(parts * 2);
        for (int i = 0; i < parts; i++) {
            indexes.put(in.readString(), in.readLong());
        }
        int checks = in.readInt();
        HashMap<String, String> locations = new HashMap<>(checks * 2);
        for (int i = 0; i < checks; i++) {
            locations.put(in.readString(), in.readString());
        }
        return new ShardDigest(indexes, locations);
    }

    static void writeSummary(ObjectDataOutput out, BucketSummary summary) throws IOException {
        out.writeLong(summary.version());
        out.writeInt(summary.instances());
        writeStrings(out, summary.tags());
    }

    static BucketSummary readSummary(ObjectDataInput in) throws IOException {
        return new BucketSummary(in.readLong(), in.readInt(), readStrings(in));
    }

    static void writeSliceState(ObjectDataOutput out, SliceState state) throws IOException {
        out.writeInt(state.partIndexes().size());
        for (Map.Entry<Integer, Long> part : state.partIndexes().entrySet()) {
            out.writeInt(part.getKey());
            out.writeLong(part.getValue());
        }
        writeSummary(out, state.summary());
    }

    static SliceState readSliceState(ObjectDataInput in) throws IOException {
        @SuppressWarnings("unchecked")
        Map.Entry<Integer, Long>[] partIndexes = new Map.Entry[in.readInt()];
        for (int i = 0; i < partIndexes.length; i++) {
            partIndexes[i] = Map.entry(in.readInt(), in.readLong());
        }
        // Built immutable, so that the record's Map.copyOf keeps it rather than copying it again.
        return new SliceState(Map.ofEntries(partIndexes), readSummary(in));
    }

    static void writeStrings(ObjectDataOutput out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String string : strings) {
            out.writeString(string);
        }
    }

    static List<String> readStrings(ObjectDataInput in) throws IOException {
        int size = in.readInt();
        List<String> strings = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            strings.add(in.readString());
        }
        return strings;
    }

    static void writeChange(ObjectDataOutput out, ChangeEvent event) throws IOException {
        out.writeLong(event.index());
        out.writeByte(event.type().ordinal());
        out.writeString(event.namespace());
        out.writeString(event.service());
        out.writeString(event.instance());
        if (event.state() != null) {
            writeEntry(out, event.state());
        }
    }

    static ChangeEvent readChange(ObjectDataInput in) throws IOException {
        long index = in.readLong();
        ChangeType type = ChangeType.values()[in.readByte()];
        String namespace = in.readString();
        String service = in.readString();
        String instance = in.readString();
        return new ChangeEvent(index, type, namespace, service, instance,
                type == ChangeType.DEREGISTERED ? null : readEntry(in));
    }

    private static void writeEntry(ObjectDataOutput out, InstanceEntry entry) throws IOException {
        writeInstance(out, entry.instance());
        out.writeLong(entry.createIndex());
        out.writeLong(entry.modifyIndex());
    }

    private static InstanceEntry readEntry(ObjectDataInput in) throws IOException {
        return new InstanceEntry(readInstance(in), in.readLong(), in.readLong());
    }

    static void writeInstance(ObjectDataOutput out, ServiceInstance instance) throws IOException {
        out.writeString(instance.namespace());
        out.writeString(instance.service());
        out.writeString(instance.id());
        out.writeString(instance.address());
        out.writeInt(instance.port());
        writeStrings(out, instance.tags());
        boolean named = !instance.ports().isEmpty();
        out.writeInt(named ? -(instance.meta().size() + 1) : instance.meta().size());
        for (Map.Entry<String, String> pair : instance.meta().entrySet()) {
            out.writeString(pair.getKey());
            out.writeString(pair.getValue());
        }
        if (named) {
            out.writeInt(instance.ports().size());
            for (NamedPort port : instance.ports()) {
                out.writeString(port.name());
                out.writeInt(port.port());
                out.writeBoolean(port.isDefault());
            }
        }
        out.writeInt(instance.weights().passing());
        out.writeInt(instance.weights().warning());
        out.writeBoolean(instance.enableTagOverride());
        out.writeInt(instance.checks().size());
        for (Check check : instance.checks()) {
            writeCheck(out, check);
        }
        out.writeString(instance.node());
    }

    static ServiceInstance readInstance(ObjectDataInput in) throws IOException {
        String namespace = in.readString();
        String service = in.readString();
        String id = in.readString();
        String address = in.readString();
        int port = in.readInt();
        List<String> tags = readStrings(in);
        int metaMark = in.readInt();
        int metaSize = metaMark < 0 ? -metaMark - 1 : metaMark;
        Map<String, String> meta = new HashMap<>(metaSize * 2);
        for (int i = 0; i < metaSize; i++) {
            meta.put(in.readString(), in.readString());
        }
        List<NamedPort> ports = new ArrayList<>();
        for (int i = metaMark < 0 ? in.readInt() : 0; i > 0; i--) {
            ports.add(new NamedPort(in.readString(), in.readInt(), in.readBoolean()));
        }
        Weights weights = new Weights(in.readInt(), in.readInt());
        boolean enableTagOverride = in.readBoolean();
        int checkCount = in.readInt();
        List<Check> checks = new ArrayList<>(checkCount);
        for (int i = 0; i < checkCount; i++) {
            checks.add(readCheck(in));
        }
        String node = in.readString();
        return new ServiceInstance(namespace, service, id, address, port, tags, meta, weights, enableTagOverride,
                checks, node, ports);
    }

    private static void writeCheck(ObjectDataOutput out, Check check) throws IOException {
        out.writeString(check.id());
        out.writeString(check.name());
        out.writeByte(check.kind().ordinal());
        out.writeString(check.target());
        writeHttpOptions(out, check.http());
        writeDuration(out, check.interval());
        writeDuration(out, check.timeout());
        writeDuration(out, check.ttl());
        writeDuration(out, check.deregisterCriticalServiceAfter());
        out.writeInt(check.thresholds().successBeforePassing());
        out.writeInt(check.thresholds().failuresBeforeWarning());
        out.writeInt(check.thresholds().failuresBeforeCritical());
        out.writeByte(check.status().ordinal());
        out.writeString(check.notes());
    }

    private static Check readCheck(ObjectDataInput in) throws IOException {
        return new Check(in.readString(), in.readString(), CheckKind.values()[in.readByte()], in.readString(),
                readHttpOptions(in), readDuration(in), readDuration(in), readDuration(in), readDuration(in),
                new Thresholds(in.readInt(), in.readInt(), in.readInt()),
                HealthStatus.values()[in.readByte()], in.readString());
    }

    private static void writeHttpOptions(ObjectDataOutput out, HttpOptions http) throws IOException {
        out.writeString(http.method());
        out.writeInt(http.headers().size());
        for (Map.Entry<String, List<String>> header : http.headers().entrySet()) {
            out.writeString(header.getKey());
            writeStrings(out, header.getValue());
        }
        out.writeString(http.body());
        out.writeBoolean(http.tlsSkipVerify());
    }

    private static HttpOptions readHttpOptions(ObjectDataInput in) throws IOException {
        String method = in.readString();
        int size = in.readInt();
        Map<String, List<String>> headers = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            headers.put(in.readString(), readStrings(in));
        }
        return new HttpOptions(method, headers, in.readString(), in.readBoolean());
    }

    private static void writeDuration(ObjectDataOutput out, Duration duration) throws IOException {
        out.writeLong(duration == null ? NO_DURATION : duration.toNanos());
    }

    private static Duration readDuration(ObjectDataInput in) throws IOException {
        long nanos = in.readLong();
        return nanos == NO_DURATION ? null : Duration.ofNanos(nanos);
    }
}
