package io.meridian.health.check;

import io.netty.channel.EventLoop;

import java.util.concurrent.TimeUnit;

/**
 * How long one event loop has been kept from running on time: a beat every {@value #BEAT_MILLIS} ms on the loop adds
 * whatever its gap exceeded twice that to a running total. The loop falls behind when its thread gets no CPU (a
 * starved machine) or its work outruns it; either way, a probe it drives is late through no fault of the target, so
 * a prober lengthens that probe's timeout by the stall it saw. The total is written on the loop and read anywhere.
 */
final class LoopStalls {

    static final long BEAT_MILLIS = 10;
    private static final long BEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS);

    private volatile long stalledNanos;
    private long lastBeat = System.nanoTime();

    private LoopStalls() {
    }

    /** Starts beating on the loop; the beats stop when the loop shuts down. */
    static LoopStalls watch(EventLoop loop) {
        LoopStalls stalls = new LoopStalls();
        loop.scheduleWithFixedDelay(stalls::beat, BEAT_MILLIS, BEAT_MILLIS, TimeUnit.MILLISECONDS);
        return stalls;
    }

    private void beat() {
        long now = System.nanoTime();
        long late = now - lastBeat - 2 * BEAT_NANOS;
        lastBeat = now;
        if (late > 0) {
            stalledNanos += late;
        }
    }

    /** The loop's stalls so far, in nanoseconds: only differences between two readings mean anything. */
    long stalledNanos() {
        return stalledNanos;
    }
}
