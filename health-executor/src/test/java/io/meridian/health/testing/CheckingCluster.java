package io.meridian.health.testing;

import io.meridian.health.check.Probers;
import io.meridian.health.schedule.CheckScheduler;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Three members on loopback that run health checks as Meridian nodes do: a registry and a check scheduler on each,
 * rescanning ownership every 200 ms. The registries have the default layout (shards and slices), as clients do: a
 * cluster's members and clients must agree on it. {@link #close()} stops the schedulers and terminates the members.
 */
public final class CheckingCluster implements AutoCloseable {

    private final TestCluster cluster = TestCluster.start(3);
    private final List<HazelcastRegistry> registries = new ArrayList<>();
    private final List<CheckScheduler> schedulers = new ArrayList<>();
    private final List<Probers> probers = new ArrayList<>();

    public CheckingCluster() {
        this(Clock.systemUTC());
    }

    /** A cluster whose schedulers read the time from {@code schedulerClock}. */
    public CheckingCluster(Clock schedulerClock) {
        for (var member : cluster.members()) {
            HazelcastRegistry registry = new HazelcastRegistry(member,
                    new RegistrySettings(RegistrySettings.DEFAULT_SHARD_COUNT,
                    RegistrySettings.DEFAULT_SLICES_PER_SERVICE, Duration.ofSeconds(10), "node", true),
                    Clock.systemUTC());
            registries.add(registry);
            Probers memberProbers = Probers.standard(registry.checkRecords(), Clock.systemUTC());
            probers.add(memberProbers);
            schedulers.add(new CheckScheduler(registry, member, cluster.tasks(member), memberProbers,
                    schedulerClock).start(Duration.ofMillis(200)));
        }
    }

    public TestCluster members() {
        return cluster;
    }

    public HazelcastRegistry registry(int member) {
        return registries.get(member);
    }

    public List<CheckScheduler> schedulers() {
        return schedulers;
    }

    @Override
    public void close() {
        schedulers.forEach(CheckScheduler::close);
        probers.forEach(Probers::close);
        registries.forEach(HazelcastRegistry::close);
        cluster.close();
    }
}
