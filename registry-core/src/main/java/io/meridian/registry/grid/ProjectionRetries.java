package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The projection steps of committed writes that failed (a partition owner out of reach), tried again every
 * {@code every} until they land: a write cut short by a partition shows on every member soon after the heal, not only
 * at anti-entropy's next pass. One step is kept per shard and service, the newest, so what is held is bounded by the
 * parts of the registry; since the projection only moves forward, a step that lands late or twice changes nothing.
 * Thread-safe; {@link #close()} stops the retries (anti-entropy still repairs what is left).
 */
final class ProjectionRetries implements AutoCloseable {

    private record Step(int shardId, String serviceKey, ServicePart part) {
    }

    private final ProjectionWriter writer;
    private final ConcurrentMap<String, Step> failed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retrying;

    ProjectionRetries(ProjectionWriter writer, Duration every) {
        this.writer = writer;
        this.retrying = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-projection-retry");
            thread.setDaemon(true);
            return thread;
        });
        retrying.scheduleWithFixedDelay(this::retryAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keeps a step that failed, unless a newer one of the same shard and service is kept already. */
    void failed(int shardId, String serviceKey, ServicePart part) {
        failed.merge(shardId + "/" + serviceKey, new Step(shardId, serviceKey, part),
                (kept, step) -> step.part().index() >= kept.part().index() ? step : kept);
    }

    /** How many steps wait to be tried again. */
    int pending() {
        return failed.size();
    }

    private void retryAll() {
        for (Map.Entry<String, Step> entry : failed.entrySet()) {
            Step step = entry.getValue();
            try {
                writer.apply(step.shardId(), step.serviceKey(), step.part(), ProjectionWriter.OWN_BOUND);
                failed.remove(entry.getKey(), step);
            } catch (HazelcastException stillOutOfReach) {
                // kept for the next round
            }
        }
    }

    @Override
    public void close() {
        retrying.shutdownNow();
    }
}
