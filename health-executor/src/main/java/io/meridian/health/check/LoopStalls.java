package io.meridian.health.check;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long one event loop has been kept from running on time, and the timeouts of the runs it drives: a beat every
 * {@value #BEAT_MILLIS} ms on the loop adds whatever its gap exceeded twice that to a running total. The loop falls
 * behind when its thread gets no CPU (a starved machine) or its work outruns it; either way, a probe it drives is late
 * through no fault of the target, so {@link #timeOut} lengthens that probe's timeout by the stall it saw. The total is
 * written on the loop and read anywhere. Works with any single-threaded loop (Netty's, or gRPC's shaded Netty's).
 */
final class LoopStalls {

    static final long BEAT_MILLIS = 10;
    private static final long BEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS);

    private final ScheduledExecutorService loop;
    private volatile long stalledNanos;
    private long lastBeat = System.nanoTime();

    private LoopStalls(ScheduledExecutorService loop) {
        this.loop = loop;
    }

    /** Starts beating on the loop, one thread's; the beats stop when the loop shuts down. */
    static LoopStalls watch(ScheduledExecutorService loop) {
        LoopStalls stalls = new LoopStalls(loop);
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

    /**
     * Completes the run with {@code timedOut} once {@code timeout} of the loop's own time has passed unanswered: time
     * the loop was stalled meanwhile moves the deadline on, by at most the timeout again, so an overloaded checker
     * reports late rather than calling a healthy target failed. A stall never ends a wait early.
     */
    void timeOut(CompletableFuture<CheckResult> run, Supplier<CheckResult> timedOut, long timeoutNanos) {
        expireAfter(run, timedOut, timeoutNanos, timeoutNanos);
    }

    private void expireAfter(CompletableFuture<CheckResult> run, Supplier<CheckResult> timedOut, long waitNanos,
                             long extensionLeftNanos) {
        long stallsBefore = stalledNanos;
        loop.schedule(() -> {
            if (run.isDone()) {
                return;
            }
            long stalled = Math.min(stalledNanos - stallsBefore, extensionLeftNanos);
            if (stalled > 0) {
                expireAfter(run, timedOut, stalled, extensionLeftNanos - stalled);
            } else {
                run.complete(timedOut.get());
            }
        }, waitNanos, TimeUnit.NANOSECONDS);
    }
}
