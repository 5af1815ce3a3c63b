package io.meridian.client;

import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.UnknownCheckException;
import io.meridian.registry.UnknownInstanceException;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A registration whose TTL check this process renews every third of its TTL. A renewal that finds the check gone
 * (the instance was reaped while this process was cut off) registers the instance again; one that cannot reach the
 * cluster is retried at the next tick. Thread-safe.
 */
final class SelfRegistration implements Registration {

    private static final Logger LOG = Logger.getLogger(SelfRegistration.class.getName());

    private final Registry registry;
    private final ServiceInstance instance;
    private final Check ttlCheck;
    private final ScheduledFuture<?> renewals;
    private final AtomicBoolean ended = new AtomicBoolean();

    /** Registers the instance with a TTL check added, and starts renewing it. */
    SelfRegistration(Registry registry, ServiceInstance instance, Duration ttl, Duration deregisterAfter,
                     ScheduledExecutorService scheduler) {
        this.registry = registry;
        this.ttlCheck = new Check("service:" + instance.id(), "Service '" + instance.service() + "' check",
                CheckKind.TTL, "", null, null, null, ttl, deregisterAfter, null, HealthStatus.PASSING,
                "Renewed by the Meridian SDK");
        this.instance = instance.withChecks(Stream.concat(instance.checks().stream(), Stream.of(ttlCheck)).toList());
        registry.register(this.instance);
        long everyMillis = Math.max(1, ttl.toMillis() / 3);
        this.renewals = scheduler.scheduleWithFixedDelay(this::renew, 0, everyMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public ServiceInstance instance() {
        return instance;
    }

    /** One renewal; it must never throw, or the scheduler would stop renewing. */
    private void renew() {
        try {
            registry.renewTtl(instance.namespace(), ttlCheck.id(), HealthStatus.PASSING, "renewed by the process");
        } catch (UnknownCheckException gone) {
            LOG.warning(instance.id() + " was deregistered while its process lives; registering it again");
            registerAgain();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not renew " + ttlCheck.id() + "; retrying at the next tick", e);
        }
    }

    private void registerAgain() {
        try {
            registry.register(instance);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not register " + instance.id() + " again; retrying at the next tick", e);
        }
    }

    @Override
    public void drainAndDeregister(Duration period) {
        if (ended.get()) {
            return;
        }
        registry.putCheck(instance.namespace(), instance.id(),
                Check.draining(instance.id(), period, "Draining: the process is shutting down"));
        try {
            Thread.sleep(period.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        renewals.cancel(false);
        try {
            registry.deregister(instance.namespace(), instance.id());
        } catch (UnknownInstanceException e) {
            LOG.fine(instance.id() + " was already deregistered");
        }
    }
}
