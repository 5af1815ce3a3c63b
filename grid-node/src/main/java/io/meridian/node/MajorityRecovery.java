package io.meridian.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.internal.RaftService;
import io.meridian.acl.AclBackup;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.operator.RecoveryRefusedException;
import io.meridian.operator.RecoveryReport;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.RegistryException;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.durable.DiskJournal;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.grid.HazelcastPreparedQueries;
import io.meridian.registry.grid.HazelcastRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The way back after the CP Subsystem lost its majority for good (Consul's {@code peers.json} recovery). The CP
 * Subsystem cannot remove dead voters without a majority, and Hazelcast's community edition keeps no Raft log on disk,
 * so the committed state is gone with the majority; what is left is the projection every member holds a full copy of,
 * the ACL state this node last read, and the prepared queries as this node last read or wrote them or, newer, as its
 * data directory holds them. So: read those, reset the CP Subsystem (Hazelcast forms a new, empty CP group of running
 * members) and commit every registration, the ACL state and the prepared queries again. Hazelcast lets only the
 * oldest member reset, and only with at least {@code cp-member-count} members running.
 */
final class MajorityRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(MajorityRecovery.class);
    private static final Duration MAJORITY_ANSWER = Duration.ofSeconds(3);
    private static final Duration RESET = Duration.ofSeconds(60);
    private static final Duration NEW_GROUP = Duration.ofSeconds(90);
    private static final Duration PARTITIONS_SETTLE = Duration.ofSeconds(60);

    private final HazelcastInstance member;
    private final RaftService raft;
    private final HazelcastRegistry registry;
    private final HazelcastAclStore acls;
    private final HazelcastPreparedQueries queries;
    private final Optional<DiskJournal> journal;
    private final int cpMemberCount;

    MajorityRecovery(HazelcastInstance member, HazelcastRegistry registry, HazelcastAclStore acls,
                     HazelcastPreparedQueries queries, Optional<DiskJournal> journal, int cpMemberCount) {
        this.member = member;
        this.raft = LocalRaftReport.raftService(member);
        this.registry = registry;
        this.acls = acls;
        this.queries = queries;
        this.journal = journal;
        this.cpMemberCount = cpMemberCount;
    }

    /** @throws RecoveryRefusedException if there is a majority, too few members, or this is not the oldest member */
    RecoveryReport recover() {
        requireOldestMember();
        requireEnoughMembers();
        requireLostMajority();
        awaitPartitionsSettled();
        List<ServiceInstance> held = new ArrayList<>();
        for (String namespace : registry.namespaces()) {
            registry.instances(namespace).stream().map(InstanceEntry::instance).forEach(held::add);
        }
        AclBackup acl = acls.backup();
        Map<String, VersionedValue> heldQueries = heldQueries();
        int queryCount = HazelcastPreparedQueries.count(heldQueries);
        LOG.warn("recovering from a lost CP majority: resetting the CP Subsystem, then committing {} registrations,"
                + " {} ACL policies, {} tokens and {} prepared queries again", held.size(), acl.policies(),
                acl.tokens(), queryCount);
        reset();
        long deadline = System.nanoTime() + NEW_GROUP.toNanos();
        // The first write creates the new group and waits for its first leader; retry it until the new group is up.
        // The new group is empty, as after a whole-cluster stop, so its restore gate is closed: this recovery opens it.
        untilNewGroup(deadline, () -> registry.restoreGate().open());
        List<String> notRestored = new ArrayList<>();
        int restored = 0;
        for (ServiceInstance instance : held) {
            try {
                untilNewGroup(deadline, () -> registry.register(instance));
                restored++;
            } catch (RegistryException e) {
                notRestored.add(instance.namespace() + "/" + instance.id() + ": " + e.getMessage());
            }
        }
        List<String> notKept = new ArrayList<>(List.of(
                "registrations committed in the last moments before the majority was lost, if this node's projection"
                        + " had not applied them yet",
                "the CP members' identities: the new group is made of the running members"));
        try {
            untilNewGroup(deadline, () -> acls.restore(acl));
        } catch (RegistryException e) {
            notKept.add("the ACL state: " + e.getMessage());
        }
        if (acl.policies() == 0 && acl.tokens() == 0) {
            notKept.add("ACL policies and tokens: this node had read none (under default-deny it reads them with"
                    + " every request)");
        }
        try {
            untilNewGroup(deadline, () -> queries.merge(heldQueries));
        } catch (RegistryException e) {
            notKept.add("the prepared queries: " + e.getMessage());
            queryCount = 0;
        }
        if (journal.isEmpty()) {
            notKept.add("prepared queries this node never read or wrote: it has no data directory to hold them");
        }
        LOG.warn("recovery done: {} registrations restored, {} not", restored, notRestored.size());
        return new RecoveryReport(restored, notRestored, acl.policies(), acl.tokens(), queryCount, notKept);
    }

    /** The newer of the prepared queries as this node last saw them and as its data directory holds them. */
    private Map<String, VersionedValue> heldQueries() {
        Map<String, VersionedValue> seen = queries.lastSeen();
        if (journal.isEmpty()) {
            return seen;
        }
        try {
            VersionedValue onDisk = journal.get().state().get(HazelcastPreparedQueries.DURABLE_KEY);
            VersionedValue inMemory = seen.get(HazelcastPreparedQueries.DURABLE_KEY);
            if (onDisk != null && (inMemory == null || onDisk.index() > inMemory.index())) {
                return Map.of(HazelcastPreparedQueries.DURABLE_KEY, onDisk);
            }
        } catch (IOException e) {
            LOG.warn("could not read the prepared queries from the data directory; using this node's copy", e);
        }
        return seen;
    }

    private void requireOldestMember() {
        Member oldest = member.getCluster().getMembers().iterator().next();
        if (!oldest.localMember()) {
            throw new RecoveryRefusedException("Hazelcast resets the CP Subsystem only from the oldest member: send"
                    + " this to the node whose member is " + CpObserver.hostPort(oldest.getAddress()));
        }
    }

    private void requireEnoughMembers() {
        long running = member.getCluster().getMembers().stream().filter(each -> !each.isLiteMember()).count();
        if (running < cpMemberCount) {
            throw new RecoveryRefusedException(running + " members run, and a new CP group needs " + cpMemberCount
                    + ": start " + (cpMemberCount - running) + " more (with the same cluster name and members)"
                    + " and try again");
        }
    }

    private void requireLostMajority() {
        try {
            raft.getCPMembers().get(MAJORITY_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecoveryRefusedException("interrupted while asking the CP Subsystem for its members");
        }
        throw new RecoveryRefusedException("the CP Subsystem has a majority and commits: remove dead members with"
                + " DELETE /v1/operator/raft/peer instead; a recovery would throw nothing away but cost a reset");
    }

    /**
     * Waits, up to {@link #PARTITIONS_SETTLE}, until no partition migrates and every backup is in sync: replacements
     * that just joined are still receiving their copies of the projection, and the restored registrations' projection
     * steps would race those migrations, showing late on the members that answer from their own copies. Past the bound
     * the recovery goes on: what it commits is safe, and the projection's retries and anti-entropy catch up.
     */
    private void awaitPartitionsSettled() {
        long deadline = System.nanoTime() + PARTITIONS_SETTLE.toNanos();
        while (!member.getPartitionService().isClusterSafe()) {
            if (System.nanoTime() > deadline) {
                LOG.warn("partitions still migrating after {} s; recovering anyway, lookups may trail the restore"
                        + " for a few seconds", PARTITIONS_SETTLE.toSeconds());
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RecoveryRefusedException("interrupted while waiting for the partitions to settle");
            }
        }
    }

    private void reset() {
        try {
            member.getCPSubsystem().getCPSubsystemManagementService().reset().toCompletableFuture()
                    .get(RESET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new RecoveryRefusedException("the CP Subsystem could not be reset: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecoveryRefusedException("interrupted while resetting the CP Subsystem");
        }
    }

    /** Runs the write, again every fifth of a second while the new group is not up yet, until the deadline. */
    private static void untilNewGroup(long deadline, Runnable write) {
        while (true) {
            try {
                write.run();
                return;
            } catch (RegistryUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while waiting for the new CP group", e);
            }
        }
    }
}
