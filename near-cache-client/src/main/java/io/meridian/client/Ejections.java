package io.meridian.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Instances this client has seen fail, left out of its answers until their ejection period ends. Thread-safe. */
final class Ejections {

    private final Clock clock;
    private final Duration period;
    private final Map<String, Long> ejectedUntil = new ConcurrentHashMap<>();

    Ejections(Clock clock, Duration period) {
        this.clock = clock;
        this.period = period;
    }

    void eject(String instanceId) {
        ejectedUntil.put(instanceId, clock.millis() + period.toMillis());
    }

    /** Whether no instance is ejected now (or one whose period ended has not been looked at since). */
    boolean isEmpty() {
        return ejectedUntil.isEmpty();
    }

    boolean isEjected(String instanceId) {
        Long until = ejectedUntil.get(instanceId);
        if (until == null) {
            return false;
        }
        if (clock.millis() >= until) {
            ejectedUntil.remove(instanceId, until);
            return false;
        }
        return true;
    }
}
