package io.meridian.http.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One of Consul 1.22's {@code Ports}: {@code {"Name": "grpc", "Port": 9090, "Default": false}}. */
public record PortBody(String name, Integer port, @JsonProperty("default") Boolean isDefault) {
}
