package io.meridian.health.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock, which a test sets forward or back as an operator or a time daemon might step it. Thread-safe. */
public final class SteppedClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Sets this clock forward by {@code by}, or back if it is negative. */
    public void step(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
