package io.meridian.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Consul's blocking queries: answer at once when the index is already past the one asked for, else park the request
 * (holding no thread) until the shared waiter fires or the wait, plus up to a sixteenth of it as jitter, runs out,
 * then answer with what is current. {@link #releaseAll()} answers every parked query at once, when the node stops.
 */
final class BlockingQuery {

    private final ApiSettings settings;
    private final Executor responders;
    private final Set<CompletableFuture<?>> parked = ConcurrentHashMap.newKeySet();

    /** Blocking queries answered on the responders, counted as {@code meridian_http_parked_queries} while parked. */
    BlockingQuery(ApiSettings settings, Executor responders, MeterRegistry meters) {
        this.settings = settings;
        this.responders = responders;
        Gauge.builder("meridian.http.parked.queries", parked, Set::size)
                .description("blocking queries waiting for a change").register(meters);
    }

    /**
     * Answers the request with {@code render}, after waiting on {@code waiter} if the request asks to block.
     *
     * @param waiter  this request's wait for a change past the requested index, on the registry's shared waiter;
     *                completed here with {@code null} when the wait runs out, which ends it
     * @param current reads the current value, for requests that do not block and for waits that time out
     */
    <V> void answer(Context ctx, java.util.function.LongFunction<CompletableFuture<V>> waiter, Supplier<V> current,
                    Consumer<V> render) {
        long index = RequestParams.index(ctx);
        if (index == 0) {
            render.accept(current.get());
            return;
        }
        CompletableFuture<V> answer = park(waiter.apply(index), RequestParams.wait(ctx, settings), current);
        ctx.future(() -> answer.thenAccept(render));
    }

    /**
     * Parks a wait on {@code waiter} for at most {@code wait} plus jitter (a wait from {@link #waitOf}), holding no
     * thread. The answer completes on a responder with the changed value, or with {@code current.get()} once the wait
     * ran out or {@link #releaseAll} was called; exceptionally if that read fails.
     */
    <V> CompletableFuture<V> park(CompletableFuture<V> waiter, Duration wait, Supplier<V> current) {
        CompletableFuture<V> changed = waiter.completeOnTimeout(null, withJitter(wait).toMillis(),
                TimeUnit.MILLISECONDS);
        parked.add(changed);
        changed.whenComplete((value, error) -> parked.remove(changed));
        return changed.thenApplyAsync(value -> value != null ? value : current.get(), responders);
    }

    /** The wait a raw {@code ?wait=} ({@code null} if absent) asks for, defaulted and capped; empty if invalid. */
    Optional<Duration> waitOf(String wait) {
        try {
            return Optional.of(RequestParams.wait(wait, settings));
        } catch (BadRequestResponse invalid) {
            return Optional.empty();
        }
    }

    /** Answers every parked query now with what is current, as if its wait had run out. */
    void releaseAll() {
        parked.forEach(waiting -> waiting.complete(null));
    }

    private static Duration withJitter(Duration wait) {
        long jitterBound = wait.toMillis() / 16;
        return jitterBound == 0 ? wait : wait.plusMillis(ThreadLocalRandom.current().nextLong(jitterBound));
    }
}
