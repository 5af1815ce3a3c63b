package io.meridian.node;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.internal.RaftService;
import io.meridian.registry.ClusterStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Looks at the CP Subsystem from this member twice a second and keeps the latest {@link CpSnapshot}: the CP members
 * (from the Metadata group), and the report of every CP member's own Raft node on the default group (asked through an
 * executor). So every member knows the leader and the voters, whether or not it holds a seat, and {@link #leader()}
 * and {@link #peers()} answer from memory without blocking. Observers registered with {@link #onSnapshot} are called
 * on the looking thread after each look.
 */
final class CpObserver implements ClusterStatus, AutoCloseable {

    /** The member attribute that carries a member's node name. */
    static final String NODE_NAME_ATTRIBUTE = "meridian.node";

    private static final Logger LOG = LoggerFactory.getLogger(CpObserver.class);
    private static final Duration EVERY = Duration.ofMillis(500);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(1);
    /** Longer than a look can take (two asks) plus the pause between looks. */
    private static final Duration STALE_AFTER = Duration.ofSeconds(4);
    private static final String EXECUTOR = "meridian-raft-status";

    private final HazelcastInstance member;
    private final RaftService raft;
    private final Clock clock;
    private final List<Consumer<CpSnapshot>> observers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService looker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meridian-cp-observer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile CpSnapshot latest = CpSnapshot.NOTHING;
    /** When this member last heard of a working leader: at start-up, then at each look that found one. */
    private volatile Instant leaderHeardAt;
    private Map<UUID, String> knownCpMembers = Map.of();

    CpObserver(HazelcastInstance member, Clock clock) {
        this.member = member;
        this.raft = LocalRaftReport.raftService(member);
        this.clock = clock;
        this.leaderHeardAt = clock.instant();
    }

    /** Starts looking; returns this. */
    CpObserver start() {
        looker.scheduleWithFixedDelay(this::lookSafely, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Calls the observer with every snapshot from now on, on the looking thread. */
    void onSnapshot(Consumer<CpSnapshot> observer) {
        observers.add(observer);
    }

    CpSnapshot latest() {
        return latest;
    }

    /**
     * The leader of the latest look, unless that look is older than {@link #STALE_AFTER}: looks that keep failing
     * (as on a member cut off from the others) cannot vouch for a leader.
     */
    @Override
    public Optional<String> leader() {
        CpSnapshot snapshot = latest;
        return snapshot.takenAt().isBefore(clock.instant().minus(STALE_AFTER)) ? Optional.empty()
                : snapshot.leaderAddress();
    }

    @Override
    public List<String> peers() {
        return latest.voterAddresses();
    }

    @Override
    public Map<String, String> members() {
        return latest.running();
    }

    @Override
    public boolean memberRunning() {
        return member.getLifecycleService().isRunning();
    }

    @Override
    public Duration lastContact() {
        Duration since = Duration.between(leaderHeardAt, clock.instant());
        return since.isNegative() ? Duration.ZERO : since;
    }

    private void lookSafely() {
        try {
            latest = look();
            if (latest.leader().isPresent()) {
                // A member with a seat knows to the millisecond when its Raft node last heard from the leader.
                RaftReport own = latest.reports().get(raft.getLocalCPMember() == null ? null
                        : raft.getLocalCPMember().getUuid());
                leaderHeardAt = own == null ? latest.takenAt() : latest.takenAt().minusMillis(own.sinceLeaderContact());
            }
            observers.forEach(observer -> observer.accept(latest));
        } catch (RuntimeException e) {
            LOG.debug("looking at the CP Subsystem failed", e);
        }
    }

    private CpSnapshot look() {
        Map<String, String> running = new LinkedHashMap<>();
        for (Member each : member.getCluster().getMembers()) {
            running.put(hostPort(each.getAddress()), Optional.ofNullable(each.getAttribute(NODE_NAME_ATTRIBUTE))
                    .orElse(each.getAddress().toString()));
        }
        if (!raft.isDiscoveryCompleted()) {
            return new CpSnapshot(clock.instant(), Map.of(), Set.of(), Optional.empty(), 0, Map.of(), running);
        }
        cpMembers().ifPresent(members -> knownCpMembers = members);
        Map<UUID, RaftReport> reports = reports(knownCpMembers);
        // The leader's own report is the freshest word on the voters; else the highest term's.
        Optional<RaftReport> best = reports.values().stream()
                .max(Comparator.comparing(RaftReport::leader).thenComparingInt(RaftReport::term));
        Optional<UUID> leader = reports.values().stream()
                .filter(report -> report.knownLeader() != null)
                .max(Comparator.comparingInt(RaftReport::term))
                .map(RaftReport::knownLeader);
        return new CpSnapshot(clock.instant(), knownCpMembers,
                best.map(report -> Set.copyOf(report.voters())).orElse(Set.of()), leader,
                best.map(RaftReport::membersIndex).orElse(0L), reports, running);
    }

    /** The CP members from the Metadata group; empty if it cannot answer now (no majority). */
    private Optional<Map<UUID, String>> cpMembers() {
        try {
            Collection<CPMember> members = raft.getCPMembers().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<UUID, String> addresses = new LinkedHashMap<>();
            members.forEach(cpMember -> addresses.put(cpMember.getUuid(), hostPort(cpMember.getAddress())));
            return Optional.of(Map.copyOf(addresses));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }

    /** Each running CP member's report, this member's read locally; members that do not answer in time are left out. */
    private Map<UUID, RaftReport> reports(Map<UUID, String> cpMembers) {
        Map<UUID, RaftReport> reports = new HashMap<>();
        List<Future<RaftReport>> asked = new ArrayList<>();
        IExecutorService executor = member.getExecutorService(EXECUTOR);
        Member local = member.getCluster().getLocalMember();
        for (Member each : member.getCluster().getMembers()) {
            if (!cpMembers.containsValue(hostPort(each.getAddress()))) {
                continue;
            }
            if (each.localMember()) {
                try {
                    LocalRaftReport.of(member).ifPresent(report -> reports.put(report.cpMember(), report));
                } catch (Exception e) {
                    LOG.debug("no Raft report from {}", local, e);
                }
            } else {
                asked.add(executor.submitToMember(new LocalRaftReport(), each));
            }
        }
        long deadline = System.nanoTime() + ASK_TIMEOUT.toNanos();
        for (Future<RaftReport> answer : asked) {
            try {
                RaftReport report = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (report != null && cpMembers.containsKey(report.cpMember())) {
                    reports.put(report.cpMember(), report);
                }
            } catch (Exception e) {
                answer.cancel(true);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return reports;
    }

    static String hostPort(Address address) {
        return address.getHost() + ":" + address.getPort();
    }

    @Override
    public void close() {
        looker.shutdownNow();
    }
}
