package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.partition.IPartition;
import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.cluster.Address;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.spi.impl.NodeEngine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Reads of a map from the copies this member holds itself, primary or backup, without a network hop. Every member
 * holds every projection entry while the cluster has no more members than a map has copies, so a member cut off
 * from the others still answers, from what it last received. A copy is written before the write that changed it is
 * acknowledged (backups are synchronous), so a read after an acknowledged write sees it. Hazelcast 5.4 has no public
 * API for this: it reads the map's record stores as {@code IMap.get} does with {@code read-backup-data}, and stays
 * with the pinned version. Thread-safe; members only.
 */
final class LocalReplicas {

    private final NodeEngine engine;
    private final IPartitionService partitions;
    private final MapServiceContext maps;
    private final Address self;
    /** Per map, how many copies of each entry the cluster keeps. */
    private final Map<String, Integer> copiesOf = new ConcurrentHashMap<>();

    private LocalReplicas(NodeEngine engine) {
        this.engine = engine;
        this.partitions = engine.getPartitionService();
        this.maps = engine.<MapService>getService(MapService.SERVICE_NAME).getMapServiceContext();
        this.self = engine.getThisAddress();
    }

    /** The local replicas of a member; empty on a client, which holds none. */
    static Optional<LocalReplicas> of(HazelcastInstance hazelcast) {
        if (hazelcast instanceof HazelcastInstanceProxy proxy) {
            return Optional.of(new LocalReplicas(proxy.getOriginal().node.getNodeEngine()));
        }
        if (hazelcast instanceof HazelcastInstanceImpl instance) {
            return Optional.of(new LocalReplicas(instance.node.getNodeEngine()));
        }
        return Optional.empty();
    }

    /** Whether this member holds a copy of the map's entry for the key. */
    boolean holds(String map, Object key) {
        return holdsPartition(map, partitions.getPartitionId(key));
    }

    /** Whether this member holds a copy of every partition of the map: then a scan of its copies sees every entry. */
    boolean holdsEveryPartition(String map) {
        for (int partition = 0; partition < partitions.getPartitionCount(); partition++) {
            if (!holdsPartition(map, partition)) {
                return false;
            }
        }
        return true;
    }

    /** The key's value in this member's copy, or null if the copy lacks it. Call only if it {@link #holds} the key. */
    <V> V get(String map, Object key) {
        return engine.toObject(getSerialized(map, key));
    }

    /** As {@link #get}, the value as the copy holds it, serialized. */
    Data getSerialized(String map, Object key) {
        Data keyData = engine.toData(key);
        RecordStore<?> store = maps.getPartitionContainer(partitions.getPartitionId(keyData))
                .getExistingRecordStore(map);
        return store == null ? null : store.readBackupData(keyData);
    }

    /** Every entry of this member's copies of the map. Complete only if it {@link #holdsEveryPartition}. */
    <K, V> void forEach(String map, BiConsumer<K, V> action) {
        for (int partition = 0; partition < partitions.getPartitionCount(); partition++) {
            if (!holdsPartition(map, partition)) {
                continue;
            }
            RecordStore<?> store = maps.getPartitionContainer(partition).getExistingRecordStore(map);
            if (store != null) {
                store.forEach((key, record) -> action.accept(engine.toObject(key), engine.toObject(record.getValue())),
                        true);
            }
        }
    }

    int partitionCount() {
        return partitions.getPartitionCount();
    }

    int partitionOf(Object key) {
        return partitions.getPartitionId(key);
    }

    /** Whether this member holds the partition's primary copy. */
    boolean owns(int partition) {
        return partitions.getPartition(partition, false).isLocal();
    }

    /** The key of every entry of this member's copy of the map's partition. */
    void forEachKey(String map, int partition, Consumer<Object> action) {
        RecordStore<?> store = maps.getPartitionContainer(partition).getExistingRecordStore(map);
        if (store != null) {
            store.forEach((key, record) -> action.accept(engine.toObject(key)), false);
        }
    }

    /** Whether this member's copies are in sync: no migration under way and no backup waiting to be synced. */
    boolean isSettled(String map) {
        return partitions.isMemberStateSafe() && holdsEveryPartition(map);
    }

    /**
     * Whether this member is among the replicas of the partition that hold the map's data: the owner and as many
     * backups as the map has. (A partition has more replica slots than a map may use.)
     */
    private boolean holdsPartition(String map, int partitionId) {
        IPartition partition = partitions.getPartition(partitionId, false);
        int copies = copiesOf.computeIfAbsent(map, name -> 1 + engine.getConfig().findMapConfig(name)
                .getTotalBackupCount());
        for (int replica = 0; replica < copies; replica++) {
            if (self.equals(partition.getReplicaAddress(replica))) {
                return true;
            }
        }
        return false;
    }
}
