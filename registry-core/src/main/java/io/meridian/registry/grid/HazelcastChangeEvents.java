package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.meridian.registry.ChangeEvent;
import io.meridian.registry.ChangeEvents;
import io.meridian.registry.ChangesExpiredException;
import io.meridian.registry.PositionedChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the change-event stream from the ring buffer {@link ChangePublisher} appends to; a position is a ring buffer
 * sequence. One read per member stays parked on the ring buffer, waiting for its tail to move, and wakes every local
 * consumer waiting past it, so a thousand waiting consumers cost one parked operation, not a thousand. A consumer's
 * read first reads what is there, whatever the follower has seen (a follower that lags only delays wake-ups), and
 * waits only if it found nothing; its reads do not block. {@link #close()} stops following.
 */
public final class HazelcastChangeEvents implements ChangeEvents, AutoCloseable {

    private static final int READ_BATCH = 1_000;
    /**
     * The follower needs only to learn that the tail moved, so it takes few events at a time: Hazelcast sizes a read's
     * answer by the most events it may hold (a sequence array of that length), and the follower's read is answered
     * on every append.
     */
    private static final int FOLLOW_BATCH = 16;
    private static final long RETRY_MILLIS = 500;
    private static final Logger LOG = Logger.getLogger(HazelcastChangeEvents.class.getName());

    private final Ringbuffer<ChangeEvent> ring;
    /** The most events one read takes: Hazelcast refuses more than the ring buffer holds. */
    private final int readLimit;
    private final int followLimit;
    /**
     * Each waiting consumer's own wait, with the position the tail must pass; a consumer that gives up (completes or
     * cancels its read) takes its wait out, so waits that time out again and again leave nothing behind.
     */
    private final Map<CompletableFuture<Void>, Long> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meridian-change-follower");
        thread.setDaemon(true);
        return thread;
    });
    /** The position after the last event the follower (or a read) saw. */
    private final AtomicLong followed;
    private volatile boolean closed;

    public HazelcastChangeEvents(HazelcastInstance hazelcast) {
        this.ring = hazelcast.getRingbuffer(GridNames.CHANGE_EVENTS);
        this.readLimit = (int) Math.min(READ_BATCH, ring.capacity());
        this.followLimit = Math.min(FOLLOW_BATCH, readLimit);
        this.followed = new AtomicLong(ring.tailSequence() + 1);
        follow();
    }

    @Override
    public long oldestPosition() {
        return ring.headSequence();
    }

    @Override
    public long nextPosition() {
        return ring.tailSequence() + 1;
    }

    @Override
    public CompletableFuture<List<PositionedChange>> readFrom(long position, int max) {
        if (position < 0 || max <= 0) {
            throw new IllegalArgumentException("a position is 0 or more and a batch holds at least one event");
        }
        if (position > followed.get() && position > nextPosition()) {
            throw new IllegalArgumentException("position " + position + " is past the stream's end, "
                    + nextPosition());
        }
        // Read first, whatever the follower knows: a follower behind the ring buffer only delays wake-ups.
        CompletableFuture<List<PositionedChange>> result = new CompletableFuture<>();
        readNow(position, max).whenComplete((events, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else if (!events.isEmpty()) {
                result.complete(events);
            } else {
                CompletableFuture<List<PositionedChange>> waited = awaitAndRead(position, max);
                waited.whenComplete((later, laterFailure) -> {
                    if (laterFailure != null) {
                        result.completeExceptionally(laterFailure);
                    } else {
                        result.complete(later);
                    }
                });
                result.whenComplete((given, up) -> waited.cancel(false));
            }
        });
        return result;
    }

    /** Waits until the follower sees the tail pass the position, then reads; a caller that gives up ends the wait. */
    private CompletableFuture<List<PositionedChange>> awaitAndRead(long position, int max) {
        CompletableFuture<Void> tail = tailPast(position);
        CompletableFuture<List<PositionedChange>> read = tail.thenCompose(ignored -> readNow(position, max))
                .thenCompose(events -> {
                    if (!events.isEmpty()) {
                        return CompletableFuture.completedFuture(events);
                    }
                    // The follower was past the ring buffer's end (it was lost and started again): wait, not spin.
                    followed.accumulateAndGet(position, Math::min);
                    return readFrom(position, max);
                });
        read.whenComplete((events, failure) -> {
            if (waiting.remove(tail) != null) {
                tail.cancel(false);
            }
        });
        return read;
    }

    /** Reads waiting on this member for the stream's next event. */
    public int waitingReads() {
        return waiting.size();
    }

    private CompletableFuture<Void> tailPast(long position) {
        if (followed.get() > position) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> wait = new CompletableFuture<>();
        waiting.put(wait, position);
        long next = followed.get();
        if (next > position) {
            wakeUpTo(next);
        }
        return wait;
    }

    private CompletableFuture<List<PositionedChange>> readNow(long position, int max) {
        return ring.readManyAsync(position, 0, Math.min(max, readLimit), null).toCompletableFuture().thenApply(read -> {
            List<PositionedChange> events = new ArrayList<>(read.size());
            for (int i = 0; i < read.size(); i++) {
                events.add(new PositionedChange(read.getSequence(i), read.get(i)));
            }
            if (!events.isEmpty() && events.get(0).position() > position) {
                throw new ChangesExpiredException(position, events.get(0).position(), nextPosition());
            }
            if (!events.isEmpty()) {
                wakeUpTo(followed.accumulateAndGet(events.get(events.size() - 1).position() + 1, Math::max));
            }
            return events;
        });
    }

    /** Keeps one read parked on the ring buffer's tail, moving {@link #followed} and waking waiters as it moves. */
    private void follow() {
        if (closed) {
            return;
        }
        ring.readManyAsync(followed.get(), 1, followLimit, null).whenComplete((read, failure) -> {
            if (failure != null) {
                if (!closed) {
                    LOG.log(Level.FINE, "following the change events failed; retrying", failure);
                    retries.schedule(this::restartFollowing, RETRY_MILLIS, TimeUnit.MILLISECONDS);
                }
                return;
            }
            moved(read);
            follow();
        });
    }

    private void moved(ReadResultSet<ChangeEvent> read) {
        wakeUpTo(followed.accumulateAndGet(read.getNextSequenceToReadFrom(), Math::max));
    }

    /** After a failure (the ring buffer lost, or its owner gone), follows again from its tail as it is now. */
    private void restartFollowing() {
        try {
            wakeUpTo(followed.accumulateAndGet(ring.tailSequence() + 1, Math::min));
            follow();
        } catch (RuntimeException e) {
            if (!closed) {
                retries.schedule(this::restartFollowing, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void wakeUpTo(long next) {
        waiting.forEach((wait, position) -> {
            if (position < next && waiting.remove(wait, position)) {
                wait.complete(null);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
    }
}
