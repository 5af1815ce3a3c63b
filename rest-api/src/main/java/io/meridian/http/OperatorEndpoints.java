package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.meridian.http.wire.AutopilotBody;
import io.meridian.http.wire.GoDuration;
import io.meridian.http.wire.InvalidFieldException;
import io.meridian.operator.AutopilotHealth;
import io.meridian.operator.AutopilotSettings;
import io.meridian.operator.RaftConfiguration;
import io.meridian.operator.RaftOperator;
import io.meridian.operator.RaftServer;
import io.meridian.operator.RecoveryReport;
import io.meridian.operator.ServerHealth;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consul's operator API for the CP group that holds the registry: {@code /v1/operator/raft/configuration},
 * {@code DELETE /v1/operator/raft/peer}, {@code /v1/operator/autopilot/health} and
 * {@code /v1/operator/autopilot/configuration}, and Meridian's {@code PUT /v1/operator/recover}. Under default-deny
 * every call needs the management token.
 */
final class OperatorEndpoints {

    private final RaftOperator operator;
    private final Acl acl;
    private final ObjectMapper mapper;

    OperatorEndpoints(RaftOperator operator, Acl acl, ObjectMapper mapper) {
        this.operator = operator;
        this.acl = acl;
        this.mapper = mapper;
    }

    void raftConfiguration(Context ctx) {
        acl.requireManagement(ctx);
        RaftConfiguration configuration = operator.configuration();
        ctx.json(Map.of("Servers", configuration.servers().stream().map(OperatorEndpoints::server).toList(),
                "Index", configuration.index()));
    }

    /** {@code ?id=} or {@code ?address=}, and {@code ?force} to remove a running member. */
    void removePeer(Context ctx) {
        acl.requireManagement(ctx);
        String id = ctx.queryParam("id");
        String address = ctx.queryParam("address");
        if ((id == null || id.isBlank()) == (address == null || address.isBlank())) {
            throw new BadRequestResponse("give exactly one of ?id= and ?address=");
        }
        operator.removePeer(id != null && !id.isBlank() ? id.trim() : address.trim(),
                RequestParams.flag(ctx, "force"));
        ctx.status(HttpStatus.OK);
    }

    /** Meridian's recovery from a lost CP majority; answers the report of what was put back and what was not. */
    void recover(Context ctx) {
        acl.requireManagement(ctx);
        RecoveryReport report = operator.recover();
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("InstancesRestored", report.instancesRestored());
        shape.put("NotRestored", report.notRestored());
        shape.put("AclPolicies", report.aclPolicies());
        shape.put("AclTokens", report.aclTokens());
        shape.put("PreparedQueries", report.preparedQueries());
        shape.put("NotKept", report.notKept());
        ctx.json(shape);
    }

    void autopilotHealth(Context ctx) {
        acl.requireManagement(ctx);
        AutopilotHealth health = operator.health();
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("Healthy", health.healthy());
        shape.put("FailureTolerance", health.failureTolerance());
        shape.put("Leader", health.leader().orElse(""));
        shape.put("Voters", health.servers().stream().filter(server -> server.server().voter())
                .map(server -> server.server().id()).toList());
        shape.put("Servers", health.servers().stream().map(OperatorEndpoints::serverHealth).toList());
        // Consul answers 429 when the cluster is unhealthy, so a probe can tell without reading the body.
        ctx.status(health.healthy() ? 200 : 429).json(shape);
    }

    void autopilotConfiguration(Context ctx) {
        acl.requireManagement(ctx);
        AutopilotSettings settings = operator.settings();
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("CleanupDeadServers", settings.cleanupDeadServers());
        shape.put("LastContactThreshold", GoDuration.format(settings.lastContactThreshold()));
        shape.put("MaxTrailingLogs", settings.maxTrailingLogs());
        shape.put("MinQuorum", settings.minQuorum());
        shape.put("ServerStabilizationTime", GoDuration.format(settings.serverStabilizationTime()));
        shape.put("DeadServerThreshold", GoDuration.format(settings.deadServerThreshold()));
        ctx.json(shape);
    }

    void updateAutopilotConfiguration(Context ctx) {
        acl.requireManagement(ctx);
        AutopilotBody body = JsonBody.read(mapper, ctx.body(), AutopilotBody.class);
        AutopilotSettings current = operator.settings();
        AutopilotSettings updated;
        try {
            updated = new AutopilotSettings(
                    body.cleanupDeadServers() != null ? body.cleanupDeadServers() : current.cleanupDeadServers(),
                    duration("LastContactThreshold", body.lastContactThreshold(), current.lastContactThreshold()),
                    body.maxTrailingLogs() != null ? body.maxTrailingLogs() : current.maxTrailingLogs(),
                    body.minQuorum() != null ? body.minQuorum() : current.minQuorum(),
                    duration("ServerStabilizationTime", body.serverStabilizationTime(),
                            current.serverStabilizationTime()),
                    duration("DeadServerThreshold", body.deadServerThreshold(), current.deadServerThreshold()));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(e.getMessage());
        }
        operator.updateSettings(updated);
        ctx.json(true);
    }

    private static Duration duration(String field, String value, Duration current) {
        if (value == null) {
            return current;
        }
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> server(RaftServer server) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ID", server.id());
        shape.put("Node", server.node());
        shape.put("Address", server.address());
        shape.put("Leader", server.leader());
        shape.put("Voter", server.voter());
        shape.put("ProtocolVersion", "3");
        return shape;
    }

    private static Map<String, Object> serverHealth(ServerHealth health) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ID", health.server().id());
        shape.put("Name", health.server().node());
        shape.put("Address", health.server().address());
        shape.put("SerfStatus", health.alive() ? "alive" : "failed");
        shape.put("Leader", health.server().leader());
        shape.put("Voter", health.server().voter());
        shape.put("LastContact", health.lastContact().map(GoDuration::format).orElse(""));
        shape.put("LastTerm", health.lastTerm());
        shape.put("LastIndex", health.lastIndex());
        shape.put("Healthy", health.healthy());
        shape.put("StableSince", DateTimeFormatter.ISO_INSTANT.format(health.stableSince()
                .truncatedTo(ChronoUnit.SECONDS)));
        return shape;
    }
}
