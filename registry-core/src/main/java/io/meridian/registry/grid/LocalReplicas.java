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

import java.util.Optional;
import java.util.function.BiConsumer;

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

    /** Whether this member holds a copy of the key's partition. */
    boolean holds(Object key) {
        return holdsPartition(partitions.getPartitionId(key));
    }

    /** Whether this member holds a copy of every partition: then a scan of its copies sees every entry. */
    boolean holdsEveryPartition() {
        for (int partition = 0; partition < partitions.getPartitionCount(); partition++) {
            if (!holdsPartition(partition)) {
                return false;
            }
        }
        return true;
    }

    /** The key's value in this member's copy, or null if the copy lacks it. Call only if {@link #holds} the key. */
    <V> V get(String map, Object key) {
        Data keyData = engine.toData(key);
        RecordStore<?> store = maps.getPartitionContainer(partitions.getPartitionId(keyData))
                .getExistingRecordStore(map);
        return store == null ? null : engine.toObject(store.readBackupData(keyData));
    }

    /** Every entry of this member's copies of the map. Complete only if it {@link #holdsEveryPartition()}. */
    <K, V> void forEach(String map, BiConsumer<K, V> action) {
        for (int partition = 0; partition < partitions.getPartitionCount(); partition++) {
            if (!holdsPartition(partition)) {
                continue;
            }
            RecordStore<?> store = maps.getPartitionContainer(partition).getExistingRecordStore(map);
            if (store != null) {
                store.forEach((key, record) -> action.accept(engine.toObject(key), engine.toObject(record.getValue())),
                        true);
            }
        }
    }

    /** Whether this member's copies are in sync: no migration under way and no backup waiting to be synced. */
    boolean isSettled() {
        return partitions.isMemberStateSafe() && holdsEveryPartition();
    }

    private boolean holdsPartition(int partitionId) {
        IPartition partition = partitions.getPartition(partitionId, false);
        return partition.isOwnerOrBackup(self);
    }
}
