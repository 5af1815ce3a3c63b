package io.meridian.registry;

import java.io.Serializable;

/**
 * Load-balancing weights, as Consul's {@code Weights}: the share of traffic an instance gets while passing and
 * while warning.
 */
public record Weights(int passing, int warning) implements Serializable {

    /** Consul's defaults: 1 while passing, 1 while warning. */
    public static final Weights DEFAULT = new Weights(1, 1);
}
