package io.meridian.load;

import java.util.Arrays;

/** Exact latency percentiles of a set of samples, in milliseconds. */
record Percentiles(int samples, double p50, double p99, double max) {

    static Percentiles of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new Percentiles(0, 0, 0, 0);
        }
        return new Percentiles(sorted.length, millis(sorted, 0.50), millis(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms", samples, p50, p99, max);
    }
}
