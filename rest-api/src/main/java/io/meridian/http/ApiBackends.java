package io.meridian.http;

import io.meridian.acl.AclStore;
import io.meridian.registry.ChangeEvents;
import io.meridian.registry.ClusterStatus;
import io.meridian.registry.FailureReports;
import io.meridian.registry.PreparedQueries;
import io.meridian.registry.Registry;
import io.meridian.registry.UserEvents;
import io.meridian.operator.DurableState;
import io.meridian.operator.RaftOperator;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the HTTP API asks: the registry, the Raft group's status, the passive failure reports, this node's
 * statistics (shown as {@code Stats} by {@code /v1/agent/self}, as Consul's agent shows its own), and the node's
 * meters, which {@code /metrics} shows in Prometheus' text format and the API adds its own to; the ACL store; the
 * Raft operator behind {@code /v1/operator}; the durable state behind {@code /v1/snapshot}; the user events behind
 * {@code /v1/event}; the prepared queries behind {@code /v1/query}; and the change events behind
 * {@code /v1/events/stream}.
 */
public record ApiBackends(Registry registry, ClusterStatus cluster, FailureReports reports,
                          Supplier<Map<String, Map<String, Object>>> stats, PrometheusMeterRegistry metrics,
                          AclStore acls, RaftOperator operator, DurableState durableState, UserEvents events,
                          PreparedQueries queries, ChangeEvents changes) {
}
