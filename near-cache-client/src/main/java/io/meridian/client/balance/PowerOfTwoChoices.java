package io.meridian.client.balance;

import io.meridian.registry.InstanceEntry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Power of two choices on calls in flight: two different candidates at random, the one with fewer calls in flight
 * wins. A pick
 * counts as a call in flight until {@link #finished} is called for it.
 */
public final class PowerOfTwoChoices implements LoadBalancer {

    private final Random random;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public PowerOfTwoChoices() {
        this(new Random());
    }

    PowerOfTwoChoices(Random random) {
        this.random = random;
    }

    @Override
    public Optional<InstanceEntry> pick(List<InstanceEntry> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        int size = candidates.size();
        int firstIndex;
        int secondIndex;
        synchronized (random) {
            firstIndex = random.nextInt(size);
            secondIndex = size == 1 ? 0 : (firstIndex + 1 + random.nextInt(size - 1)) % size;
        }
        InstanceEntry first = candidates.get(firstIndex);
        InstanceEntry second = candidates.get(secondIndex);
        InstanceEntry chosen = calls(first).get() <= calls(second).get() ? first : second;
        calls(chosen).incrementAndGet();
        return Optional.of(chosen);
    }

    /** The call to an instance picked before has ended. */
    public void finished(InstanceEntry entry) {
        calls(entry).updateAndGet(count -> Math.max(0, count - 1));
    }

    private AtomicInteger calls(InstanceEntry entry) {
        return inFlight.computeIfAbsent(entry.instance().id(), id -> new AtomicInteger());
    }
}
