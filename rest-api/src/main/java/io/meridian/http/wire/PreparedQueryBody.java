package io.meridian.http.wire;

import io.meridian.registry.PreparedQuery;
import io.meridian.registry.RegistrationRules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/query} and {@code PUT /v1/query/:id} in Consul's shape, and a query's shape in answers.
 * Of Consul's fields Meridian reads {@code Name}, {@code Service.Service}, {@code Service.Namespace},
 * {@code Service.Tags}, {@code Service.OnlyPassing}, {@code Service.Near} and {@code DNS.TTL}; it has one datacenter,
 * so a {@code Failover} changes nothing, and it has no sessions or templates.
 */
public record PreparedQueryBody(String name, ServiceField service, DnsField dns) {

    /** The query's {@code Service} object. */
    public record ServiceField(String service, String namespace, List<String> tags, Boolean onlyPassing,
                               String near) {
    }

    /** The query's {@code DNS} object. */
    public record DnsField(String ttl) {
    }

    /**
     * The query the body describes, under the id given, in {@code defaultNamespace} unless it names one.
     *
     * @throws MissingFieldException if it names no service
     * @throws InvalidFieldException if a field breaks a rule
     */
    public PreparedQuery toQuery(String id, String defaultNamespace) {
        if (service == null || service.service() == null || service.service().isBlank()) {
            throw new MissingFieldException("Service.Service is required: the service the query looks up");
        }
        String queryName = Objects.requireNonNullElse(name, "");
        if (queryName.length() > RegistrationRules.MAX_ID_LENGTH) {
            throw new InvalidFieldException("Name has at most " + RegistrationRules.MAX_ID_LENGTH + " characters");
        }
        List<String> tags = Objects.requireNonNullElse(service.tags(), List.of());
        if (tags.size() > RegistrationRules.MAX_TAGS || tags.stream().anyMatch(tag -> tag == null || tag.isEmpty()
                || tag.length() > RegistrationRules.MAX_TAG_LENGTH)) {
            throw new InvalidFieldException("Service.Tags holds at most " + RegistrationRules.MAX_TAGS
                    + " tags of 1-" + RegistrationRules.MAX_TAG_LENGTH + " characters");
        }
        String near = Objects.requireNonNullElse(service.near(), "");
        if (!near.isEmpty() && !near.equals("_agent")) {
            throw new InvalidFieldException("Service.Near takes _agent (the answering node's zone first), not '"
                    + near + "'");
        }
        String ttl = dns == null || dns.ttl() == null ? "" : dns.ttl();
        if (!ttl.isEmpty()) {
            try {
                GoDuration.parse(ttl);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("DNS.TTL: " + e.getMessage());
            }
        }
        String namespace = service.namespace() == null || service.namespace().isEmpty() ? defaultNamespace
                : service.namespace();
        RegistrationRules.requireValidNamespace(namespace);
        return new PreparedQuery(id, queryName, namespace, service.service(), tags,
                Boolean.TRUE.equals(service.onlyPassing()), near, ttl, 0, 0);
    }

    /** A stored query as {@code GET /v1/query} shows it. */
    public static Map<String, Object> shape(PreparedQuery query) {
        Map<String, Object> serviceShape = new LinkedHashMap<>();
        serviceShape.put("Service", query.service());
        serviceShape.put("Namespace", query.namespace());
        serviceShape.put("Failover", Map.of("NearestN", 0, "Datacenters", List.of()));
        serviceShape.put("OnlyPassing", query.onlyPassing());
        serviceShape.put("IgnoreCheckIDs", List.of());
        serviceShape.put("Near", query.near());
        serviceShape.put("Tags", query.tags());
        serviceShape.put("NodeMeta", Map.of());
        serviceShape.put("ServiceMeta", Map.of());
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ID", query.id());
        shape.put("Name", query.name());
        shape.put("Session", "");
        shape.put("Token", "");
        shape.put("Service", serviceShape);
        shape.put("DNS", Map.of("TTL", query.dnsTtl()));
        shape.put("CreateIndex", query.createIndex());
        shape.put("ModifyIndex", query.modifyIndex());
        return shape;
    }
}
