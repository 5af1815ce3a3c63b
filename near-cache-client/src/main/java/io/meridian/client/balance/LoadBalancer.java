package io.meridian.client.balance;

import io.meridian.registry.InstanceEntry;

import java.util.List;
import java.util.Optional;

/** Picks one instance for the next call. Implementations are thread-safe and keep their own state between picks. */
public interface LoadBalancer {

    /** The instance for the next call among the candidates, or empty if there are none. */
    Optional<InstanceEntry> pick(List<InstanceEntry> candidates);

    /** The instance's weight: its {@code weight} meta when that is a positive number, else its passing weight. */
    static int weightOf(InstanceEntry entry) {
        String meta = entry.instance().meta().get("weight");
        if (meta != null) {
            try {
                int weight = Integer.parseInt(meta.trim());
                if (weight > 0) {
                    return weight;
                }
            } catch (NumberFormatException ignored) {
                // not a number: the registered weight applies
            }
        }
        return entry.instance().weights().passing();
    }
}
