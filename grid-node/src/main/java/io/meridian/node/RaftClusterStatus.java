package io.meridian.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.CPGroupId;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.internal.RaftService;
import com.hazelcast.cp.internal.raft.impl.RaftEndpoint;
import com.hazelcast.cp.internal.raft.impl.RaftNode;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import io.meridian.registry.ClusterStatus;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Raft group that holds the registry (the default CP group) as this member sees it. The leader comes from the
 * member's own Raft node, which Hazelcast exposes only through its internal API; it is empty on a member that is not
 * in the group or knows no leader.
 */
final class RaftClusterStatus implements ClusterStatus {

    private final HazelcastInstance member;
    private final RaftService raft;
    private volatile CPGroupId group;
    private volatile Map<UUID, String> addresses = Map.of();

    RaftClusterStatus(HazelcastInstance member) {
        this.member = member;
        this.raft = ((HazelcastInstanceProxy) member).getOriginal().node.getNodeEngine()
                .getService(RaftService.SERVICE_NAME);
    }

    @Override
    public Optional<String> leader() {
        CPGroupId groupId = group();
        if (groupId == null) {
            return Optional.empty();
        }
        RaftNode node = raft.getRaftNode(groupId);
        RaftEndpoint leader = node == null ? null : node.getLeader();
        if (leader == null) {
            return Optional.empty();
        }
        String address = addresses.get(leader.getUuid());
        if (address == null) {
            refreshAddresses();
            address = addresses.get(leader.getUuid());
        }
        return Optional.ofNullable(address);
    }

    @Override
    public List<String> peers() {
        refreshAddresses();
        return addresses.values().stream().sorted().toList();
    }

    private void refreshAddresses() {
        await(member.getCPSubsystem().getCPSubsystemManagementService().getCPMembers()).ifPresent(members ->
                addresses = members.stream().collect(Collectors.toUnmodifiableMap(CPMember::getUuid,
                        cpMember -> cpMember.getAddress().getHost() + ":" + cpMember.getAddress().getPort())));
    }

    /** The id of the default CP group, looked up once it exists; null before the first CP operation created it. */
    private CPGroupId group() {
        if (group == null) {
            group = await(raft.getCPGroup(CPGroup.DEFAULT_GROUP_NAME)).map(CPGroup::id).orElse(null);
        }
        return group;
    }

    private static <T> Optional<T> await(CompletionStage<T> stage) {
        try {
            return Optional.ofNullable(stage.toCompletableFuture().get(2, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
