package io.meridian.registry;

import java.util.Locale;

/**
 * The health of a check, and so of an instance, ordered from best to worst as Consul orders them.
 */
public enum HealthStatus {
    PASSING, WARNING, CRITICAL;

    /** The lower-case name Consul puts on the wire ({@code passing}, {@code warning}, {@code critical}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses Consul's wire name, ignoring case.
     *
     * @throws IllegalArgumentException if the text names no status
     */
    public static HealthStatus fromWireName(String text) {
        for (HealthStatus status : values()) {
            if (status.wireName().equalsIgnoreCase(text)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown health status '" + text
                + "': expected passing, warning or critical");
    }

    /** The worse of this status and another. */
    public HealthStatus worst(HealthStatus other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
