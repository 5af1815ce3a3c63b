package io.meridian.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.internal.RaftService;
import io.meridian.operator.AutopilotSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the CP group at its configured size with running members only, as Consul's autopilot keeps its Raft peers.
 * Runs on every member after each {@link CpSnapshot}:
 * <ul>
 *     <li>A member without a seat whose address a CP member of another identity still holds is that member
 *     restarted: the old CP member cannot come back (Hazelcast gives a restarted process a new identity), so it is
 *     removed at once.</li>
 *     <li>A member without a seat that has been up for the stabilization time is promoted while the CP Subsystem has
 *     fewer CP members than configured; the members that joined first go first, so they do not all rush at once.</li>
 *     <li>The oldest member removes a CP member that has been gone from the cluster for the dead-server threshold, if
 *     cleanup is on and at least {@code MinQuorum} voters would remain.</li>
 * </ul>
 * Every change is a Raft commit on the Metadata group: without its majority nothing changes, and the next look tries
 * again. It works on a thread of its own, on the newest snapshot whenever it is idle, so a slow change never holds up
 * the observer.
 */
final class Autopilot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Autopilot.class);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(10);

    private final HazelcastInstance member;
    private final RaftService raft;
    private final int groupSize;
    private final AutopilotSettingsStore settings;
    private final Clock clock;
    private final Instant upSince;
    private final Map<UUID, Instant> goneSince = new HashMap<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meridian-autopilot");
        thread.setDaemon(true);
        return thread;
    });

    Autopilot(HazelcastInstance member, int groupSize, AutopilotSettingsStore settings, Clock clock) {
        this.member = member;
        this.raft = LocalRaftReport.raftService(member);
        this.groupSize = groupSize;
        this.settings = settings;
        this.clock = clock;
        this.upSince = clock.instant();
    }

    /** Acts on the snapshot on the autopilot's thread, unless it is still busy with an earlier one. */
    void offer(CpSnapshot snapshot) {
        if (busy.compareAndSet(false, true)) {
            worker.execute(() -> {
                try {
                    act(snapshot);
                } catch (RuntimeException e) {
                    LOG.warn("autopilot failed on a snapshot", e);
                } finally {
                    busy.set(false);
                }
            });
        }
    }

    private void act(CpSnapshot snapshot) {
        if (snapshot.cpMembers().isEmpty()) {
            return;
        }
        AutopilotSettings current = settings.current();
        if (raft.getLocalCPMember() == null) {
            takeSeat(snapshot, current);
        }
        if (isOldest()) {
            cleanUpDeadServers(snapshot, current);
        } else {
            goneSince.clear();
        }
    }

    private void takeSeat(CpSnapshot snapshot, AutopilotSettings current) {
        String self = CpObserver.hostPort(member.getCluster().getLocalMember().getAddress());
        UUID selfId = member.getCluster().getLocalMember().getUuid();
        for (Map.Entry<UUID, String> cpMember : snapshot.cpMembers().entrySet()) {
            if (cpMember.getKey().equals(selfId)) {
                // Hazelcast names a member it seats at discovery (or after a reset) by the member's own id: this is
                // this member, seated, and about to know it.
                return;
            }
            if (cpMember.getValue().equals(self)) {
                LOG.info("removing CP member {} at this member's address {}: it is this node's previous run",
                        cpMember.getKey(), self);
                change(() -> raft.removeCPMember(cpMember.getKey()).get(CHANGE_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS), "removing the previous run's CP member");
                return;
            }
        }
        int freeSeats = groupSize - snapshot.cpMembers().size();
        if (freeSeats <= 0 || clock.instant().isBefore(upSince.plus(current.serverStabilizationTime()))) {
            return;
        }
        List<Member> waiting = member.getCluster().getMembers().stream()
                .filter(each -> !each.isLiteMember())
                .filter(each -> !snapshot.cpMembers().containsValue(CpObserver.hostPort(each.getAddress())))
                .toList();
        int place = waiting.indexOf(member.getCluster().getLocalMember());
        if (place >= 0 && place < freeSeats) {
            LOG.info("promoting this member to the CP Subsystem: {} of {} seats taken", snapshot.cpMembers().size(),
                    groupSize);
            change(() -> raft.promoteToCPMember().get(CHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "promoting this member");
        }
    }

    private void cleanUpDeadServers(CpSnapshot snapshot, AutopilotSettings current) {
        Instant now = clock.instant();
        goneSince.keySet().removeIf(id -> !snapshot.cpMembers().containsKey(id) || snapshot.isRunning(id));
        for (UUID id : snapshot.cpMembers().keySet()) {
            if (snapshot.isRunning(id)) {
                continue;
            }
            Instant since = goneSince.computeIfAbsent(id, gone -> now);
            int votersLeft = snapshot.voters().size() - (snapshot.voters().contains(id) ? 1 : 0);
            if (!current.cleanupDeadServers() || now.isBefore(since.plus(current.deadServerThreshold()))
                    || votersLeft < current.minQuorum()) {
                continue;
            }
            LOG.warn("removing CP member {} at {}: gone from the cluster since {}", id, snapshot.cpMembers().get(id),
                    since);
            if (change(() -> raft.removeCPMember(id).get(CHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "removing a dead CP member")) {
                goneSince.remove(id);
            }
            return;
        }
    }

    private boolean isOldest() {
        return member.getCluster().getMembers().iterator().next().localMember();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    private interface Change {
        void run() throws Exception;
    }

    private static boolean change(Change change, String what) {
        try {
            change.run();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.info("{} did not complete, will try again: {}", what, e.toString());
        }
        return false;
    }
}
