package io.meridian.registry.grid;

import io.meridian.registry.CheckingMember;
import io.meridian.registry.HealthStatus;

import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A failure report sent to every member: the member that runs the instance's checks runs them now and answers with
 * the instance's health; the others, and members that run no checks, answer null.
 */
final class CheckNow implements Callable<HealthStatus>, Serializable, MemberTask<CheckingMember> {

    /** The longest a member's answer may take: the probes' own timeouts are shorter. */
    private static final long ANSWER_WITHIN_SECONDS = 30;

    private final String namespace;
    private final String instanceId;
    private transient CheckingMember checker;

    CheckNow(String namespace, String instanceId) {
        this.namespace = namespace;
        this.instanceId = instanceId;
    }

    @Override
    public Class<CheckingMember> handlerType() {
        return CheckingMember.class;
    }

    @Override
    public void handleWith(CheckingMember handler) {
        this.checker = handler;
    }

    @Override
    public HealthStatus call() throws Exception {
        return checker == null ? null
                : checker.checkNow(namespace, instanceId).get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS).orElse(null);
    }
}
