package io.meridian.registry;

import java.io.Serializable;

/**
 * The last run of a check, kept in an AP map by the member that runs it (it changes every interval, so it stays out
 * of Raft).
 *
 * @param status        the damped status after the run
 * @param output        what the run found
 * @param ranAtMillis   when it ran, epoch milliseconds
 * @param criticalSince when the check last turned critical, epoch milliseconds; 0 while it is not critical
 * @param member        the member that ran it
 */
public record CheckOutcome(HealthStatus status, String output, long ranAtMillis, long criticalSince, String member)
        implements Serializable {
}
