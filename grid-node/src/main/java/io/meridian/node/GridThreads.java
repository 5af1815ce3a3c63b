package io.meridian.node;

import com.hazelcast.config.Config;

import java.util.Map;

/**
 * How many threads a member's Hazelcast runs, sized to the cores its JVM may use ({@code availableProcessors()}: the
 * machine's, a container's CPU limit, or {@code -XX:ActiveProcessorCount}). Hazelcast's defaults are meant for a member
 * alone on eight cores or more: as many partition threads as cores, three reading and three writing I/O threads. A
 * Meridian write is many small operations (the Raft commit, the projection's steps and their backups, their answers),
 * each handed from thread to thread; with more threads than cores, a hand-over is a wake-up of a parked thread, which
 * on a small share of cores costs more than the work handed over, while fewer threads each take several operations per
 * wake-up. On this project's two-core machine, one partition thread and one I/O thread each way cut a write's member
 * CPU and raised the writes {@code ./meridian dev} takes in every one of five alternated rounds
 * ({@code load-tests/README.md}, "Fewer threads"). From six cores on the I/O threads are Hazelcast's three; the
 * partition threads stay one fewer than the cores. Only two cores were measured; the counts for more are the same rule
 * carried on, not tuned.
 *
 * <p>A count given as a JVM system property ({@code -Dhazelcast.operation.thread.count=4}) is left as given.
 */
final class GridThreads {

    private GridThreads() {
    }

    /** Sets the thread counts for a member whose JVM may use {@code cores} cores. */
    static void size(Config config, int cores) {
        Map.of(
                // One partition thread fewer than the cores: the rest is left to I/O, HTTP and the collector.
                "hazelcast.operation.thread.count", Math.max(1, cores - 1),
                // A reading and a writing thread per two cores, up to Hazelcast's three.
                "hazelcast.io.thread.count", Math.max(1, Math.min(3, cores / 2)))
                .forEach((property, count) -> {
                    if (System.getProperty(property) == null) {
                        config.setProperty(property, Integer.toString(count));
                    }
                });
    }
}
