package io.meridian.client.balance;

import io.meridian.registry.InstanceEntry;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToIntFunction;

/**
 * Smooth weighted round-robin over one fixed list of candidates. The picks repeat every (total weight / greatest
 * common divisor of the weights) picks, so when that cycle is at most {@value #LONGEST_CYCLE} long it is worked out
 * here once and a pick is an atomic increment; otherwise each pick steps the algorithm under a lock. So that threads
 * picking at once do not contend on one counter, each thread turns one of {@value #STRIPES} counters (by its id).
 * Every counter walks the cycle in order from its start, so each instance gets exactly its share of every whole cycle
 * a counter completes. Candidates all of weight zero share evenly; negative weights count as zero. Thread-safe.
 */
final class Rotation {

    /** The longest cycle worked out ahead. */
    static final int LONGEST_CYCLE = 4096;
    private static final int STRIPES = 16;
    private static final int SPACING = 16;

    private final List<InstanceEntry> candidates;
    /** Each candidate as a pick, made once so that picking allocates nothing. */
    private final List<Optional<InstanceEntry>> picks;
    private final long[] weights;
    /** The cycle of picks as positions in {@link #candidates}; {@code null} when longer than {@link #LONGEST_CYCLE}. */
    private final int[] cycle;
    /** The counters, {@value #SPACING} slots apart so that no two share a cache line. */
    private final AtomicLongArray turns = new AtomicLongArray(STRIPES * SPACING);
    /** Each candidate's current weight while stepping pick by pick; guarded by itself. */
    private final long[] current;

    Rotation(List<InstanceEntry> candidates, ToIntFunction<InstanceEntry> weightOf) {
        this.candidates = candidates;
        this.picks = candidates.stream().map(Optional::of).toList();
        this.weights = reduced(candidates.stream().mapToLong(entry -> Math.max(0, weightOf.applyAsInt(entry)))
                .toArray());
        this.current = new long[weights.length];
        long period = Arrays.stream(weights).sum();
        if (period > LONGEST_CYCLE) {
            this.cycle = null;
        } else {
            long[] stepping = new long[weights.length];
            this.cycle = new int[(int) period];
            for (int i = 0; i < cycle.length; i++) {
                cycle[i] = step(stepping);
            }
        }
    }

    /** Whether this rotation is over these candidates: the same list, or an equal one. */
    boolean isOf(List<InstanceEntry> candidates) {
        return this.candidates == candidates || this.candidates.equals(candidates);
    }

    /** The next pick. */
    Optional<InstanceEntry> next() {
        if (cycle != null) {
            int stripe = (int) (Thread.currentThread().getId() * 0x9E3779B97F4A7C15L >>> 60);
            return picks.get(cycle[(int) Math.floorMod(turns.getAndIncrement(stripe * SPACING), cycle.length)]);
        }
        synchronized (current) {
            return picks.get(step(current));
        }
    }

    /** One step of the algorithm on the given current weights: the position picked. */
    private int step(long[] currentWeights) {
        int best = 0;
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            currentWeights[i] += weights[i];
            total += weights[i];
            if (currentWeights[i] > currentWeights[best]) {
                best = i;
            }
        }
        currentWeights[best] -= total;
        return best;
    }

    /** The weights divided by their greatest common divisor, which picks the same with a shorter cycle. */
    private static long[] reduced(long[] weights) {
        long divisor = 0;
        for (long weight : weights) {
            divisor = gcd(divisor, weight);
        }
        if (divisor == 0) {
            Arrays.fill(weights, 1);
            return weights;
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= divisor;
        }
        return weights;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
