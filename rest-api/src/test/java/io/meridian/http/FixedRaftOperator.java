package io.meridian.http;

import io.meridian.operator.AutopilotHealth;
import io.meridian.operator.AutopilotSettings;
import io.meridian.operator.LivePeerException;
import io.meridian.operator.RaftConfiguration;
import io.meridian.operator.RaftOperator;
import io.meridian.operator.RaftServer;
import io.meridian.operator.RecoveryRefusedException;
import io.meridian.operator.RecoveryReport;
import io.meridian.operator.ServerHealth;
import io.meridian.operator.UnknownPeerException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator backend of the HTTP tests: one live leader at 127.0.0.1:5701, which cannot be removed without force,
 * autopilot settings kept in memory, and a majority, so recovery is refused. The real one runs against members in
 * grid-node's tests.
 */
final class FixedRaftOperator implements RaftOperator {

    static final RaftServer LEADER = new RaftServer("6f1d6c2e-0000-4000-8000-000000000001", "node-a",
            "127.0.0.1:5701", true, true);

    private final AtomicReference<AutopilotSettings> settings = new AtomicReference<>(AutopilotSettings.DEFAULTS);

    @Override
    public RaftConfiguration configuration() {
        return new RaftConfiguration(List.of(LEADER), 7);
    }

    @Override
    public void removePeer(String idOrAddress, boolean force) {
        if (!idOrAddress.equals(LEADER.id()) && !idOrAddress.equals(LEADER.address())) {
            throw new UnknownPeerException(idOrAddress);
        }
        if (!force) {
            throw new LivePeerException(LEADER.address());
        }
    }

    /** This cluster has its majority, so a recovery is refused, as the real one refuses it. */
    @Override
    public RecoveryReport recover() {
        throw new RecoveryRefusedException("the CP Subsystem has a leader");
    }

    @Override
    public AutopilotHealth health() {
        return new AutopilotHealth(true, 0, Optional.of(LEADER.id()), List.of(new ServerHealth(LEADER, true,
                Optional.of(Duration.ZERO), 3, 42, true, Instant.parse("2026-11-29T12:00:00Z"))));
    }

    @Override
    public AutopilotSettings settings() {
        return settings.get();
    }

    @Override
    public void updateSettings(AutopilotSettings updated) {
        settings.set(updated);
    }
}
