package io.meridian.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.internal.RaftService;
import io.meridian.operator.AutopilotHealth;
import io.meridian.operator.AutopilotSettings;
import io.meridian.operator.LivePeerException;
import io.meridian.operator.RaftConfiguration;
import io.meridian.operator.RaftOperator;
import io.meridian.operator.RaftServer;
import io.meridian.operator.RecoveryReport;
import io.meridian.operator.UnknownPeerException;
import io.meridian.registry.RegistryUnavailableException;

import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator API over this member's {@link CpObserver}, {@link ServerHealthTracker} and autopilot settings; peer
 * removal goes to Hazelcast's CP management, which commits it on the Metadata group; recovery to
 * {@link MajorityRecovery}.
 */
final class GridRaftOperator implements RaftOperator {

    private static final long REMOVE_TIMEOUT_SECONDS = 10;

    private final RaftService raft;
    private final CpObserver observer;
    private final ServerHealthTracker health;
    private final AutopilotSettingsStore settings;
    private final MajorityRecovery recovery;

    GridRaftOperator(HazelcastInstance member, CpObserver observer, ServerHealthTracker health,
                     AutopilotSettingsStore settings, MajorityRecovery recovery) {
        this.raft = LocalRaftReport.raftService(member);
        this.observer = observer;
        this.health = health;
        this.settings = settings;
        this.recovery = recovery;
    }

    @Override
    public RaftConfiguration configuration() {
        CpSnapshot snapshot = observer.latest();
        return new RaftConfiguration(snapshot.cpMembers().keySet().stream().map(snapshot::server)
                .sorted(Comparator.comparing(RaftServer::address)).toList(), snapshot.membersIndex());
    }

    @Override
    public void removePeer(String idOrAddress, boolean force) {
        CpSnapshot snapshot = observer.latest();
        Map.Entry<UUID, String> peer = snapshot.cpMembers().entrySet().stream()
                .filter(cpMember -> cpMember.getKey().toString().equals(idOrAddress)
                        || cpMember.getValue().equals(idOrAddress))
                .findFirst().orElseThrow(() -> new UnknownPeerException(idOrAddress));
        if (!force && snapshot.running().containsKey(peer.getValue())
                && snapshot.reports().containsKey(peer.getKey())) {
            throw new LivePeerException(peer.getValue());
        }
        try {
            raft.removeCPMember(peer.getKey()).get(REMOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while removing the Raft peer", e);
        } catch (ExecutionException | TimeoutException e) {
            if (e.getCause() instanceof IllegalArgumentException) {
                throw new UnknownPeerException(idOrAddress);
            }
            throw new RegistryUnavailableException("the CP Subsystem could not remove the peer: " + e, e);
        }
    }

    @Override
    public RecoveryReport recover() {
        return recovery.recover();
    }

    @Override
    public AutopilotHealth health() {
        return health.latest();
    }

    @Override
    public AutopilotSettings settings() {
        return settings.current();
    }

    @Override
    public void updateSettings(AutopilotSettings updated) {
        settings.replace(updated);
    }
}
