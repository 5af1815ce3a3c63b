package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import io.meridian.registry.RegistryUnavailableException;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides when the projection is repaired: every interval, on the oldest member of the cluster only, so one member
 * does the work and another takes over when it leaves. What is repaired is {@link HazelcastRegistry#repair()}'s
 * business.
 * {@link #close()} stops the schedule.
 */
public final class AntiEntropy implements AutoCloseable {

    /** The default interval: a lost projection write is healed well within 30 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(AntiEntropy.class.getName());

    private final ScheduledExecutorService scheduler;

    private AntiEntropy(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts repairing the registry every interval while the member is the oldest in its cluster. */
    public static AntiEntropy start(HazelcastRegistry registry, HazelcastInstance member, Duration interval) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-anti-entropy");
            thread.setDaemon(true);
            return thread;
        });
        Runnable round = () -> {
            if (!member.getLifecycleService().isRunning()
                    || !member.getCluster().getMembers().iterator().next().localMember()) {
                return;
            }
            try {
                HazelcastRegistry.Repairs repairs = registry.repair();
                if (repairs.serviceParts() > 0) {
                    LOG.warning("anti-entropy re-applied " + repairs.serviceParts()
                            + " service parts to the projection");
                }
                if (repairs.checkIndexEntries() > 0) {
                    LOG.warning("anti-entropy put back " + repairs.checkIndexEntries() + " entries of the check index");
                }
            } catch (RegistryUnavailableException | HazelcastException e) {
                LOG.log(Level.WARNING, "anti-entropy round failed; the next round tries again", e);
            }
        };
        scheduler.scheduleWithFixedDelay(round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new AntiEntropy(scheduler);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
