package io.meridian.registry;

import java.io.Serializable;

/**
 * Flap damping as Consul's check options: how many results in a row it takes to change a check's status. Zero means
 * at once.
 *
 * @param successBeforePassing   passing results in a row before the check turns passing
 * @param failuresBeforeWarning  failing results in a row before it turns warning
 * @param failuresBeforeCritical failing results in a row before it turns critical
 */
public record Thresholds(int successBeforePassing, int failuresBeforeWarning, int failuresBeforeCritical)
        implements Serializable {

    public static final Thresholds NONE = new Thresholds(0, 0, 0);
}
