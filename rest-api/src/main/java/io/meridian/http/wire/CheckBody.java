package io.meridian.http.wire;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A check as Consul clients send it in {@code Check} or {@code Checks}; names are matched ignoring case, and the
 * snake-case names of the lower-case form are accepted too. {@code ServiceID} says which instance a check registered
 * on its own belongs to. Fields Meridian does not use yet are ignored.
 */
public record CheckBody(
        @JsonAlias({"ID", "CheckID"}) String checkId,
        String name,
        String http,
        String tcp,
        String grpc,
        @JsonDeserialize(using = DurationField.class) Duration ttl,
        @JsonDeserialize(using = DurationField.class) Duration interval,
        @JsonDeserialize(using = DurationField.class) Duration timeout,
        @JsonAlias("deregister_critical_service_after")
        @JsonDeserialize(using = DurationField.class) Duration deregisterCriticalServiceAfter,
        String status,
        String notes,
        String method,
        Map<String, List<String>> header,
        String body,
        Boolean tlsSkipVerify,
        Integer successBeforePassing,
        Integer failuresBeforeWarning,
        Integer failuresBeforeCritical,
        @JsonAlias("service_id") String serviceId) {
}
