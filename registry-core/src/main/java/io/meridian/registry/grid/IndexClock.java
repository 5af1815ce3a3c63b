package io.meridian.registry.grid;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proposes indexes for writes: microseconds of the wall clock, strictly increasing on this node. A shard takes the
 * larger of the proposal and its own index plus one, so indexes grow within a shard whatever the clocks do, and
 * writes that follow one another in time get growing indexes across shards and nodes as far as the clocks agree.
 * Thread-safe.
 */
final class IndexClock {

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    IndexClock(Clock clock) {
        this.clock = clock;
    }

    long propose() {
        long micros = microsOf(clock.instant());
        return last.updateAndGet(previous -> Math.max(previous + 1, micros));
    }

    /** The index a write proposed at this instant would get, other writes aside. */
    static long microsOf(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
