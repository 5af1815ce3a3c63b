package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.ReliableMessageListener;
import io.meridian.registry.UserEvent;
import io.meridian.registry.UserEvents;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User events on a Hazelcast reliable topic: a ring buffer with a backup, so an event fired survives the loss of the
 * member that stored it. Each member listens from the oldest event the ring buffer still holds, so one that starts late
 * hears the history too, and keeps the latest {@link UserEvents#KEPT}; an event's index is its ring buffer sequence
 * plus 2, so the first is 2 and "none yet" is 1. A listener that falls behind the ring buffer skips what it lost.
 * {@link #close()} stops listening.
 */
public final class HazelcastUserEvents implements UserEvents, AutoCloseable {

    static final String TOPIC = "meridian-user-events";

    private final ITopic<UserEvent> topic;
    private final UUID listener;
    /** The latest events heard, oldest first; guarded by this. */
    private final Deque<UserEvent> heard = new ArrayDeque<>();
    private long index = 1;
    /** The callers waiting for the next event; each leaves as soon as its future completes, whoever completes it. */
    private final Set<CompletableFuture<Long>> waiting = ConcurrentHashMap.newKeySet();

    public HazelcastUserEvents(HazelcastInstance hazelcast) {
        this.topic = hazelcast.getReliableTopic(TOPIC);
        long oldest = hazelcast.getRingbuffer("_hz_rb_" + TOPIC).headSequence();
        this.listener = topic.addMessageListener(new Listener(oldest));
    }

    @Override
    public void fire(UserEvent event) {
        if (event.payload().length > UserEvent.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("an event's payload has at most " + UserEvent.MAX_PAYLOAD_BYTES
                    + " bytes, not " + event.payload().length);
        }
        topic.publish(event);
    }

    @Override
    public synchronized List<UserEvent> recent() {
        return List.copyOf(heard);
    }

    @Override
    public synchronized long index() {
        return index;
    }

    @Override
    public synchronized CompletableFuture<Long> awaitAfter(long afterIndex) {
        if (index > afterIndex) {
            return CompletableFuture.completedFuture(index);
        }
        CompletableFuture<Long> caller = new CompletableFuture<>();
        waiting.add(caller);
        caller.whenComplete((value, error) -> waiting.remove(caller));
        return caller;
    }

    private void heard(UserEvent event, long sequence) {
        long now;
        List<CompletableFuture<Long>> woken;
        synchronized (this) {
            heard.addLast(event);
            if (heard.size() > KEPT) {
                heard.removeFirst();
            }
            index = Math.max(index, sequence + 2);
            now = index;
            woken = List.copyOf(waiting);
        }
        woken.forEach(caller -> caller.complete(now));
    }

    @Override
    public void close() {
        topic.removeMessageListener(listener);
    }

    /** Hears every event from {@code oldest} on, in order, and never gives up. */
    private final class Listener implements ReliableMessageListener<UserEvent> {
        private final long oldest;
        private long lastSequence = -1;

        Listener(long oldest) {
            this.oldest = oldest;
        }

        @Override
        public long retrieveInitialSequence() {
            return oldest;
        }

        @Override
        public void storeSequence(long sequence) {
            lastSequence = sequence;
        }

        @Override
        public boolean isLossTolerant() {
            return true;
        }

        @Override
        public boolean isTerminal(Throwable failure) {
            return false;
        }

        @Override
        public void onMessage(Message<UserEvent> message) {
            heard(message.getMessageObject(), lastSequence);
        }
    }
}
