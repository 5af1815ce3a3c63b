package io.meridian.registry;

import java.io.Serializable;

/**
 * The last run of a check, kept by the member that runs it (it changes every interval, so it stays out of Raft); for
 * a TTL check, its last renewal or lapse.
 *
 * @param status        the damped status after the run
 * @param output        what the run found
 * @param ranAtMillis   when it ran, epoch milliseconds
 * @param criticalSince when the check last turned critical, epoch milliseconds; 0 while it is not critical (for a
 *                      renewal that reports critical, the renewal's time)
 * @param member        the member that ran it, or the node that took the renewal
 */
public record CheckOutcome(HealthStatus status, String output, long ranAtMillis, long criticalSince, String member)
        implements Serializable {
}
