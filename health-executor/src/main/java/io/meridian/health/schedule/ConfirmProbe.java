package io.meridian.health.schedule;

import io.meridian.health.check.CheckResult;
import io.meridian.health.check.Probers;
import io.meridian.health.check.WatchedCheck;
import io.meridian.registry.Check;
import io.meridian.registry.grid.MemberTask;

import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A task sent to another member: run this probe from there, for a second opinion while the safety valve is open. A
 * member that runs no checks answers null.
 */
final class ConfirmProbe implements Callable<CheckResult>, Serializable, MemberTask<Probers> {

    /** Beyond the probe's own timeout, what the answer may take. */
    private static final long SLACK_MILLIS = 5_000;

    private final String namespace;
    private final String instanceId;
    private final Check check;
    private transient Probers probers;

    ConfirmProbe(WatchedCheck watched) {
        this.namespace = watched.namespace();
        this.instanceId = watched.instanceId();
        this.check = watched.check();
    }

    @Override
    public Class<Probers> handlerType() {
        return Probers.class;
    }

    @Override
    public void handleWith(Probers handler) {
        this.probers = handler;
    }

    @Override
    public CheckResult call() throws Exception {
        return probers == null ? null : probers.probe(new WatchedCheck(namespace, instanceId, check, 0))
                .get(check.effectiveTimeout().toMillis() + SLACK_MILLIS, TimeUnit.MILLISECONDS);
    }
}
