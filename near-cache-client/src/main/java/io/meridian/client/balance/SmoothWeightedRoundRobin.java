package io.meridian.client.balance;

import io.meridian.registry.InstanceEntry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Smooth weighted round-robin (nginx's): every pick, each candidate gains its weight, the one with the most is picked
 * and loses the total. Over any run of picks each instance gets its weight's share, spread evenly rather than in bursts.
 */
public final class SmoothWeightedRoundRobin implements LoadBalancer {

    private final ToIntFunction<InstanceEntry> weights;
    private final Map<String, Long> current = new HashMap<>();

    /** Weighted by {@link LoadBalancer#weightOf}. */
    public SmoothWeightedRoundRobin() {
        this(LoadBalancer::weightOf);
    }

    SmoothWeightedRoundRobin(ToIntFunction<InstanceEntry> weights) {
        this.weights = weights;
    }

    @Override
    public synchronized Optional<InstanceEntry> pick(List<InstanceEntry> candidates) {
        InstanceEntry best = null;
        long bestWeight = Long.MIN_VALUE;
        long total = 0;
        for (InstanceEntry candidate : candidates) {
            int weight = weights.applyAsInt(candidate);
            total += weight;
            long gained = current.merge(candidate.instance().id(), (long) weight, Long::sum);
            if (gained > bestWeight) {
                best = candidate;
                bestWeight = gained;
            }
        }
        if (best != null) {
            current.merge(best.instance().id(), -total, Long::sum);
        }
        if (current.size() > 2 * candidates.size()) {
            current.keySet().retainAll(candidates.stream().map(entry -> entry.instance().id()).toList());
        }
        return Optional.ofNullable(best);
    }
}
