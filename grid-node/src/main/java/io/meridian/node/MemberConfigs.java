package io.meridian.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import io.meridian.registry.grid.GridNames;
import io.meridian.registry.durable.DiskJournal;
import io.meridian.registry.durable.ReplicatedJournal;
import io.meridian.registry.grid.RegistrySerialization;

import java.util.List;
import java.util.Optional;

/**
 * The Hazelcast member configuration of a Meridian node: TCP-IP join to the configured members, or Kubernetes DNS
 * discovery through a headless Service; the CP Subsystem with fast leader failure detection; projection maps held by
 * every member; the member's journal, if it keeps one, where the journal executor's tasks find it.
 */
final class MemberConfigs {

    private MemberConfigs() {
    }

    /** Threads that may wait for the journal at once: writers park here while their batch is forced. */
    private static final int JOURNAL_THREADS = 64;

    static Config member(NodeConfig node, Optional<DiskJournal> journal) {
        Config config = new Config();
        journal.ifPresent(disk -> config.getUserContext().put(DiskJournal.USER_CONTEXT_KEY, disk));
        config.addExecutorConfig(new ExecutorConfig(ReplicatedJournal.EXECUTOR).setPoolSize(JOURNAL_THREADS)
                .setStatisticsEnabled(false));
        config.setClusterName(node.clusterName());
        config.setInstanceName(node.nodeName());
        RegistrySerialization.configure(config.getSerializationConfig());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Hazelcast's own metrics feed Management Center and JMX, which Meridian does not use; collecting them walks
        // every CP reference (4,096 shards) every few seconds. Meridian's metrics are its own (/metrics).
        config.getMetricsConfig().setEnabled(false);
        config.setProperty("hazelcast.logging.type", "slf4j");
        // Near caches of clients hear of a change within milliseconds, not in the default 10 s batches.
        config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Lookups answer from this member's copies, backups included: a backup that missed an update (its member
        // busy or just restarted as the update went out) is compared with its primary and synced every 5 s, not 30.
        config.setProperty("hazelcast.partition.backup.sync.interval", "5");
        // A partition migration or replica sync whose operation or answer was lost (sent while members were cut apart,
        // or to a member merging back after a split) is given up and planned again after 20 s: until then the partition
        // refuses every operation, so writes retried for minutes after a bridge partition healed. Hazelcast gives up
        // an invocation that never heard from its target after its own timeout (the migration timeout, 300 s by
        // default) plus the operation call timeout (60 s by default). A running operation sends heartbeats every
        // quarter of the call timeout and lives as long as they come, so a slow but healthy migration is not cut short.
        config.setProperty("hazelcast.partition.migration.timeout", "10");
        config.setProperty("hazelcast.operation.call.timeout.millis", "10000");
        // A graceful stop hands over partitions and the CP seat within the node's bound; past it the node terminates.
        config.setProperty("hazelcast.graceful.shutdown.max.wait", Long.toString(node.shutdownTimeout().toSeconds()));
        FailureDetection.configure(config);
        GridThreads.size(config, Runtime.getRuntime().availableProcessors());
        config.getMemberAttributeConfig().setAttribute(CpObserver.NODE_NAME_ATTRIBUTE, node.nodeName());
        config.getNetworkConfig().setPort(node.hazelcastPort()).setPortAutoIncrement(true);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(node.bindAddress());
        // Listen on the bind address only: by default Hazelcast binds the member port on every interface.
        config.setProperty("hazelcast.socket.bind.any", "false");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        node.kubernetesService().ifPresentOrElse(
                service -> join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", service),
                () -> join.getTcpIpConfig().setEnabled(true).setMembers(node.members()));
        config.getCPSubsystemConfig().setCPMemberCount(node.cpMemberCount()).setGroupSize(node.cpMemberCount())
                // At most once: a write whose answer is lost in a leader change fails (503, outcome unknown) instead
                // of being committed again. Committed twice, a deregistration answered 404 though it had taken effect.
                .setFailOnIndeterminateOperationState(true);
        // A dead leader is noticed in about 2 s instead of the default 25 s.
        config.getCPSubsystemConfig().getRaftAlgorithmConfig()
                .setLeaderHeartbeatPeriodInMillis(500)
                .setMaxMissedLeaderHeartbeatCount(4);
        // Every member holds every projection entry (sync backups, up to seven copies), so a member answers reads from
        // its own copies, cut off or not. After a split heals, the larger side's copy is kept: the smaller side cannot
        // have committed a write, and anti-entropy re-applies any committed part the kept copy lacks.
        for (String map : List.of(GridNames.SLICES_MAP, GridNames.SERVICES_MAP,
                GridNames.NAMESPACES_MAP, GridNames.CHECKS_MAP)) {
            config.addMapConfig(new MapConfig(map).setBackupCount(MapConfig.MAX_BACKUP_COUNT)
                    .setMergePolicyConfig(new MergePolicyConfig(PutIfAbsentMergePolicy.class.getName(),
                            MergePolicyConfig.DEFAULT_BATCH_SIZE)));
        }
        // Leases, check outcomes, autopilot settings and members' heap reports are written on both sides of a split:
        // the latest write wins.
        for (String map : List.of(GridNames.TTL_LEASES_MAP, GridNames.CHECK_OUTCOMES_MAP, AutopilotSettingsStore.MAP,
                GridNames.FULL_MEMBERS_MAP)) {
            config.addMapConfig(new MapConfig(map).setBackupCount(MapConfig.MAX_BACKUP_COUNT)
                    .setPerEntryStatsEnabled(true)
                    .setMergePolicyConfig(new MergePolicyConfig(LatestUpdateMergePolicy.class.getName(),
                            MergePolicyConfig.DEFAULT_BATCH_SIZE)));
        }
        // The change-event stream, on every member of a cluster of three: losing a member loses no kept event.
        config.addRingBufferConfig(new RingbufferConfig(GridNames.CHANGE_EVENTS)
                .setCapacity(node.events().keepCount())
                .setTimeToLiveSeconds((int) Math.min(Integer.MAX_VALUE, node.events().keepFor().toSeconds()))
                .setBackupCount(2));
        // A healed split is noticed within seconds, not after Hazelcast's default five minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        return config;
    }
}
