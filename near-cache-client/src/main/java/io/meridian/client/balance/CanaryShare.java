package io.meridian.client.balance;

import io.meridian.registry.InstanceEntry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends a fixed share of calls to the canary instances (those with the canary tag, {@code canary} unless told
 * otherwise) and the rest to the others, exactly: the two groups are themselves picked by smooth weighted
 * round-robin with weights of the share and its complement. When one group is empty, every call goes to the other.
 */
public final class CanaryShare implements LoadBalancer {

    /** The tag that marks a canary unless the constructor names another. */
    public static final String DEFAULT_TAG = "canary";

    private final String tag;
    private final SmoothWeightedRoundRobin groups;
    private final LoadBalancer canaries;
    private final LoadBalancer stable;

    /**
     * @param percent the share of calls for canaries, 0 to 100
     * @param canaries how to pick among the canaries
     * @param stable   how to pick among the others
     */
    public CanaryShare(int percent, LoadBalancer canaries, LoadBalancer stable) {
        this(DEFAULT_TAG, percent, canaries, stable);
    }

    /**
     * @param tag      the tag that marks a canary
     * @param percent  the share of calls for canaries, 0 to 100
     * @param canaries how to pick among the canaries
     * @param stable   how to pick among the others
     */
    public CanaryShare(String tag, int percent, LoadBalancer canaries, LoadBalancer stable) {
        this.tag = Objects.requireNonNull(tag, "tag");
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("the canary share must be 0-100 percent, not " + percent);
        }
        this.groups = new SmoothWeightedRoundRobin(entry -> entry.instance().tags().contains(tag)
                ? percent : 100 - percent);
        this.canaries = canaries;
        this.stable = stable;
    }

    @Override
    public Optional<InstanceEntry> pick(List<InstanceEntry> candidates) {
        List<InstanceEntry> canary = candidates.stream().filter(entry -> entry.instance().tags().contains(tag))
                .toList();
        List<InstanceEntry> others = candidates.stream().filter(entry -> !entry.instance().tags().contains(tag))
                .toList();
        if (canary.isEmpty() || others.isEmpty()) {
            return (canary.isEmpty() ? stable : canaries).pick(candidates);
        }
        boolean toCanary = groups.pick(List.of(canary.get(0), others.get(0))).orElseThrow() == canary.get(0);
        return toCanary ? canaries.pick(canary) : stable.pick(others);
    }
}
