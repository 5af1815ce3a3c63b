package io.meridian.health.schedule;

/**
 * When one check runs, given the firings of its fixed-rate schedule. A firing that comes late is still one run; the
 * firings a stall held back, which a fixed-rate executor then makes up back to back, start no run of their own, so a
 * checker that fell behind does not double its work just as it is behind. Each firing's lag is against the time the
 * schedule set for it, so a checker that stays behind shows it. Times are milliseconds on a monotonic clock, the one
 * the schedule fires by, never the wall clock. Not thread-safe: one check's firings come one at a time.
 */
final class Cadence {

    /** One firing: how late it came, in milliseconds, and whether it starts a run. */
    record Firing(long lagMillis, boolean runs) {
    }

    private final long periodMillis;
    private long nextFiringMillis;
    private long nextRunMillis;

    Cadence(long firstDueMillis, long periodMillis) {
        this.periodMillis = periodMillis;
        this.nextFiringMillis = firstDueMillis;
        this.nextRunMillis = firstDueMillis;
    }

    /** The schedule fired at {@code nowMillis}. */
    Firing fire(long nowMillis) {
        long lag = Math.max(0, nowMillis - nextFiringMillis);
        nextFiringMillis += periodMillis;
        if (nextRunMillis - nowMillis >= periodMillis / 2) {
            return new Firing(lag, false);
        }
        long periodsMissed = Math.max(0, nowMillis - nextRunMillis) / periodMillis;
        nextRunMillis += (periodsMissed + 1) * periodMillis;
        return new Firing(lag, true);
    }
}
