package io.meridian.client.balance;

import io.meridian.registry.InstanceEntry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Smooth weighted round-robin (nginx's): every pick, each candidate gains its weight, the one with the most is picked
 * and loses the total. Over any run of picks each instance gets its weight's share, spread evenly rather than in
 * bursts.
 *
 * <p>The picks repeat with a period of the weights' total (divided by their greatest common divisor), so for each
 * service the cycle is worked out once per candidate list, and a pick is one atomic increment: no lock and no
 * allocation while the candidates stay the same. A new candidate list for the service starts a new cycle. Weights
 * whose cycle would be longer than 4,096 are stepped pick by pick under a lock instead.
 * Thread-safe.
 */
public final class SmoothWeightedRoundRobin implements LoadBalancer {

    private final ToIntFunction<InstanceEntry> weights;
    /** The rotation of each service's current candidates, by service name. */
    private final Map<String, Rotation> rotations = new ConcurrentHashMap<>();

    /** Weighted by {@link LoadBalancer#weightOf}. */
    public SmoothWeightedRoundRobin() {
        this(LoadBalancer::weightOf);
    }

    SmoothWeightedRoundRobin(ToIntFunction<InstanceEntry> weights) {
        this.weights = weights;
    }

    @Override
    public Optional<InstanceEntry> pick(List<InstanceEntry> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        String service = candidates.get(0).instance().service();
        Rotation rotation = rotations.get(service);
        if (rotation == null || !rotation.isOf(candidates)) {
            rotation = new Rotation(candidates, weights);
            rotations.put(service, rotation);
        }
        return rotation.next();
    }
}
