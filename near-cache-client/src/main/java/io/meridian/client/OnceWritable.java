package io.meridian.client;

import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastException;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a step once the cluster takes writes, asking again every {@code every} until it does and while the step fails
 * for want of the cluster: a cluster restoring its registry from its members' disks answers reads with only what has
 * merged so far. The questions run on the executor given, which must not be the one renewing registrations: without
 * a CP majority a question waits for the CP timeout, and nothing else should wait with it. Each {@link #start}
 * supersedes the chain of questions under way, so a client that reconnects again and again keeps one. Thread-safe.
 */
final class OnceWritable {

    private static final Logger LOG = Logger.getLogger(OnceWritable.class.getName());

    private final ScheduledExecutorService asker;
    private final BooleanSupplier writable;
    private final Duration every;
    /** The number of the newest chain; an older chain's next question finds it moved and stops. */
    private final AtomicLong newest = new AtomicLong();

    /**
     * @param writable whether the cluster takes writes; may throw what a Hazelcast client throws when it cannot ask
     */
    OnceWritable(ScheduledExecutorService asker, BooleanSupplier writable, Duration every) {
        this.asker = asker;
        this.writable = writable;
        this.every = every;
    }

    /** Asks now, on the calling thread, and then on the asker until the step has run; {@code what} names it in logs. */
    void start(Runnable step, String what) {
        ask(newest.incrementAndGet(), step, what);
    }

    private void ask(long chain, Runnable step, String what) {
        if (newest.get() != chain) {
            return;
        }
        try {
            if (writable.getAsBoolean()) {
                step.run();
                return;
            }
            LOG.log(Level.FINE, "the cluster does not take writes yet: will {0} later", what);
        } catch (HazelcastClientOfflineException | HazelcastException e) {
            LOG.log(Level.FINE, "could not " + what + "; trying again later", e);
        }
        try {
            asker.schedule(() -> ask(chain, step, what), every.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            LOG.log(Level.FINE, "the client closed: will not {0}", what);
        }
    }
}
