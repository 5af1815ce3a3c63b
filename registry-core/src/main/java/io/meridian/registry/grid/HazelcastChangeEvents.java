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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the change-event stream from the ring buffer {@link ChangePublisher} appends to; a position is a ring buffer
 * sequence. One read per member stays parked on the ring buffer, waiting for its tail to move, and wakes every local
 * consumer waiting past it, so a thousand waiting consumers cost one parked operation, not a thousand. Each consumer's
 * read itself does not block. {@link #close()} stops following.
 */
public final class HazelcastChangeEvents implements ChangeEvents, AutoCloseable {

    private static final int FOLLOW_BATCH = 1_000;
    private static final long RETRY_MILLIS = 500;
    private static final Logger LOG = Logger.getLogger(HazelcastChangeEvents.class.getName());

    private final Ringbuffer<ChangeEvent> ring;
    /** The most events one read takes: Hazelcast refuses more than the ring buffer holds. */
    private final int readLimit;
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
    /** The position after the last event the follower saw. */
    private volatile long followed;
    private volatile boolean closed;

    public HazelcastChangeEvents(HazelcastInstance hazelcast) {
        this.ring = hazelcast.getRingbuffer(GridNames.CHANGE_EVENTS);
        this.readLimit = (int) Math.min(FOLLOW_BATCH, ring.capacity());
        this.followed = ring.tailSequence() + 1;
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
        if (position > followed && position > nextPosition()) {
            throw new IllegalArgumentException("position " + position + " is past the stream's end, "
                    + nextPosition());
        }
        CompletableFuture<Void> tail = tailPast(position);
        CompletableFuture<List<PositionedChange>> read = tail.thenCompose(ignored -> readNow(position, max))
                .thenCompose(events -> {
                    if (!events.isEmpty()) {
                        return CompletableFuture.completedFuture(events);
                    }
                    // The follower was past the ring buffer's end (it was lost and started again): wait, not spin.
                    followed = Math.min(followed, position);
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
        if (followed > position) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> wait = new CompletableFuture<>();
        waiting.put(wait, position);
        if (followed > position) {
            wakeUpTo(followed);
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
            return events;
        });
    }

    /** Keeps one read parked on the ring buffer's tail, moving {@link #followed} and waking waiters as it moves. */
    private void follow() {
        if (closed) {
            return;
        }
        ring.readManyAsync(followed, 1, readLimit, null).whenComplete((read, failure) -> {
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
        followed = Math.max(followed, read.getNextSequenceToReadFrom());
        wakeUpTo(followed);
    }

    /** After a failure (the ring buffer lost, or its owner gone), follows again from its tail as it is now. */
    private void restartFollowing() {
        try {
            followed = Math.min(followed, ring.tailSequence() + 1);
            wakeUpTo(followed);
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
