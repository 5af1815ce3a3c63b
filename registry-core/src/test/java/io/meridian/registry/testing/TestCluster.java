package io.meridian.registry.testing;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.meridian.registry.grid.CallbackThreads;
import io.meridian.registry.grid.GridNames;
import io.meridian.registry.grid.MemberTasks;
import io.meridian.registry.grid.RegistrySerialization;
import io.meridian.registry.grid.RestoreGate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Hazelcast members on loopback for tests: a random cluster name and five consecutive ports free when the cluster was
 * made, the CP Subsystem on three members, fast leader failure detection. {@link #close()} terminates every member
 * still running.
 */
public final class TestCluster implements AutoCloseable {

    /** How many change events the cluster keeps. */
    public static final int CHANGE_EVENTS_KEPT = 64;

    /** The member ports every member tries when it joins: up to five members, one per port. */
    private static final int JOIN_PORTS = 5;

    private final String name = "test-" + UUID.randomUUID();
    private final int basePort = LoopbackPorts.consecutive(JOIN_PORTS);
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final Map<HazelcastInstance, MemberTasks> tasks = new ConcurrentHashMap<>();

    /** Starts {@code count} members at once and waits until they have formed one cluster. */
    public static TestCluster start(int count) {
        TestCluster cluster = new TestCluster();
        cluster.startMembers(count);
        return cluster;
    }

    /**
     * Starts {@code count} members at once and waits until they have joined: after {@link #close()}, a cluster of the
     * same name on the same ports, as when a whole cluster is restarted. These members keep no disk, so there is
     * nothing to restore: writes are opened at once, as a Meridian node's cold start would once it had merged.
     * Hazelcast's callbacks run on a bounded pool, as on a Meridian node.
     */
    public void startMembers(int count) {
        startMembersRestoring(count);
        openWrites();
    }

    /**
     * As {@link #startMembers}, but writes stay closed, as a Meridian node's cold start leaves them until a majority of
     * its members' disks have merged: the registry reads as empty, as one not restored yet does, until
     * {@link #openWrites()}.
     */
    public void startMembersRestoring(int count) {
        CallbackThreads.bound();
        List<CompletableFuture<HazelcastInstance>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            starting.add(CompletableFuture.supplyAsync(this::startMember));
        }
        starting.forEach(member -> members.add(member.join()));
        awaitCpDiscovery();
    }

    /** Opens writes, as a cold start does once a majority of the members' disks have merged. */
    public void openWrites() {
        new RestoreGate(members.get(0).getCPSubsystem(), Duration.ofSeconds(60)).open();
    }

    /** Waits until the CP subsystem has its members, so that the first write does not wait for it. */
    private void awaitCpDiscovery() {
        for (HazelcastInstance member : members) {
            try {
                if (!member.getCPSubsystem().getCPSubsystemManagementService()
                        .awaitUntilDiscoveryCompleted(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the CP subsystem did not form within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private HazelcastInstance startMember() {
        MemberTasks memberTasks = new MemberTasks();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(memberTasks.installOn(config()));
        tasks.put(member, memberTasks);
        return member;
    }

    /** The configuration of one member of this cluster. */
    private Config config() {
        Config config = new Config();
        config.setClusterName(name);
        RegistrySerialization.configure(config.getSerializationConfig());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
        config.getNetworkConfig().setPort(basePort).setPortAutoIncrement(true).setPortCount(20).setReuseAddress(true);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        for (int port = basePort; port < basePort + JOIN_PORTS; port++) {
            join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        }
        // The first member looks for others on the unused ports for 1 s, not Hazelcast's default 5 s, before it leads:
        // members started together on loopback find each other within milliseconds.
        join.getTcpIpConfig().setConnectionTimeoutSeconds(1);
        config.getCPSubsystemConfig().setCPMemberCount(3).setGroupSize(3);
        config.getCPSubsystemConfig().getRaftAlgorithmConfig()
                .setLeaderHeartbeatPeriodInMillis(500).setMaxMissedLeaderHeartbeatCount(4);
        for (String map : List.of(GridNames.SLICES_MAP, GridNames.SERVICES_MAP)) {
            config.addMapConfig(new MapConfig(map).setBackupCount(2));
        }
        // Small, so that a test can outrun it and see a consumer told that its events are gone.
        config.addRingBufferConfig(new RingbufferConfig(GridNames.CHANGE_EVENTS).setCapacity(CHANGE_EVENTS_KEPT)
                .setBackupCount(2));
        return config;
    }

    /** Starts one more member, which joins this cluster. */
    public HazelcastInstance addMember() {
        HazelcastInstance member = startMember();
        members.add(member);
        return member;
    }

    /** The cluster's name, for clients that join it. */
    public String name() {
        return name;
    }

    /** A client's configuration for this cluster, with the registry's serializers: add to it, then start the client. */
    public ClientConfig clientConfig() {
        ClientConfig config = new ClientConfig().setClusterName(name);
        config.getNetworkConfig().setAddresses(addresses());
        RegistrySerialization.configure(config.getSerializationConfig());
        return config;
    }

    /** {@code host:port} of every member, for clients. */
    public List<String> addresses() {
        return members.stream()
                .map(member -> "127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort()).toList();
    }

    public List<HazelcastInstance> members() {
        return members;
    }

    public HazelcastInstance member(int index) {
        return members.get(index);
    }

    /** Where a member's components provide the handlers of the tasks sent to it. */
    public MemberTasks tasks(HazelcastInstance member) {
        return tasks.get(member);
    }

    /** Terminates one member abruptly, as a crash would. */
    public void terminate(HazelcastInstance member) {
        member.getLifecycleService().terminate();
        members.remove(member);
        tasks.remove(member);
    }

    @Override
    public void close() {
        members.parallelStream().forEach(member -> member.getLifecycleService().terminate());
        members.clear();
        tasks.clear();
    }
}
