package io.meridian.http.wire;

/** Consul's {@code Weights}; a missing value takes Consul's default of 1. */
public record WeightsBody(Integer passing, Integer warning) {
}
