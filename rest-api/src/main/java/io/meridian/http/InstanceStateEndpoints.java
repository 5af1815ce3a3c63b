package io.meridian.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.meridian.http.wire.GoDuration;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.FailureReports;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.Registry;
import io.meridian.registry.UnknownCheckException;

import java.time.Duration;
import java.util.Map;

/**
 * Taking an instance out of traffic: Consul's maintenance mode ({@code PUT /v1/agent/service/maintenance/:id}),
 * Meridian's draining ({@code PUT /v1/agent/service/drain/:id?period=30s}) and passive failure reports
 * ({@code PUT /v1/agent/service/report/:id?outcome=failure}). Both are critical checks on the instance,
 * so they hold across restarts and every lookup and watcher sees them; a drain check deregisters the instance when
 * its period ends.
 */
final class InstanceStateEndpoints {

    /** How long an instance drains when the request gives no period. */
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

    private final Registry registry;
    private final FailureReports reports;
    private final Acl acl;

    InstanceStateEndpoints(Registry registry, FailureReports reports, Acl acl) {
        this.registry = registry;
        this.reports = reports;
        this.acl = acl;
    }

    /**
     * {@code PUT /v1/agent/service/report/:id?outcome=failure}: a client could not reach the instance; the member that
     * checks it checks it now. Needs write on the instance's service: a failing report can turn it critical. Answers
     * the instance's health afterwards; 404 if no member checks it.
     */
    void report(Context ctx) {
        String outcome = ctx.queryParam("outcome");
        if (!"failure".equals(outcome)) {
            throw new BadRequestResponse("?outcome=failure is required: only failures are reported");
        }
        String namespace = RequestParams.namespace(ctx);
        String instanceId = ctx.pathParam("id");
        acl.requireWriteOnInstance(ctx, namespace, instanceId);
        ctx.future(() -> reports.reportFailure(namespace, instanceId).thenAccept(health -> {
            if (health.isEmpty()) {
                throw new NotFoundResponse("no member checks instance '" + instanceId
                        + "': it is not registered in namespace '" + namespace + "' or has no checks");
            }
            ctx.json(Map.of("ID", instanceId, "Status", health.get().wireName()));
        }));
    }

    void maintenance(Context ctx) {
        String enable = ctx.queryParam("enable");
        if (enable == null) {
            throw new BadRequestResponse("?enable=true or ?enable=false is required");
        }
        String namespace = RequestParams.namespace(ctx);
        String instanceId = ctx.pathParam("id");
        acl.requireWriteOnInstance(ctx, namespace, instanceId);
        String checkId = "_service_maintenance:" + instanceId;
        if (RequestParams.flag(ctx, "enable")) {
            String reason = ctx.queryParam("reason");
            registry.putCheck(namespace, instanceId, new Check(checkId, "Service Maintenance Mode",
                    CheckKind.MAINTENANCE, "", null, null, null, null, null, null, HealthStatus.CRITICAL,
                    reason == null || reason.isBlank() ? "Maintenance mode is enabled for this service" : reason));
        } else {
            try {
                registry.removeCheck(namespace, checkId);
            } catch (UnknownCheckException notInMaintenance) {
                // disabling maintenance that is not on leaves a registered instance as it is, as in Consul
                if (registry.serviceOfInstance(namespace, instanceId).isEmpty()) {
                    throw new NotFoundResponse("Unknown service ID '" + instanceId + "' in namespace '" + namespace
                            + "'");
                }
            }
        }
        ctx.status(200);
    }

    void drain(Context ctx) {
        String period = ctx.queryParam("period");
        Duration drainFor;
        try {
            drainFor = period == null || period.isBlank() ? DEFAULT_DRAIN : GoDuration.parse(period);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("?period: " + e.getMessage());
        }
        if (drainFor.isNegative()) {
            throw new BadRequestResponse("?period must not be negative");
        }
        String instanceId = ctx.pathParam("id");
        acl.requireWriteOnInstance(ctx, RequestParams.namespace(ctx), instanceId);
        registry.putCheck(RequestParams.namespace(ctx), instanceId, Check.draining(instanceId, drainFor,
                "Draining: no new traffic; deregistered after " + GoDuration.format(drainFor)));
        ctx.status(200);
    }
}
