package io.meridian.client;

import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastException;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.ServiceView;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Finds a service's view for a lookup without waiting on the cluster for longer than {@code wait} once the service
 * has been seen. A view the registry holds current is answered at once. Otherwise one read per service goes to the
 * cluster on the reader executor, and lookups wait for it until {@code wait} after it started, then answer the last
 * known view: a member cut off by a partition may hold a read for seconds, and stale routing beats no routing. A read
 * that ends late still becomes the last known view. A service never seen waits for its read, however long.
 * Thread-safe.
 */
final class BoundedLookups {

    private record Read(CompletableFuture<ServiceView> view, long startedNanos) {
    }

    private final Function<String, ServiceView> held;
    private final Function<String, ServiceView> reader;
    private final LastKnownViews lastKnown;
    private final Executor readers;
    private final long waitNanos;
    private final ConcurrentMap<String, Read> reading = new ConcurrentHashMap<>();

    /**
     * @param held      the view the registry holds current, or {@code null} if it must be read; never blocks
     * @param reader    reads the view from the cluster; may block
     * @param lastKnown where every view found is remembered, and what is answered while a read is late
     * @param readers   runs the reads
     * @param wait      how long a lookup of a service seen before waits for its read
     */
    BoundedLookups(Function<String, ServiceView> held, Function<String, ServiceView> reader,
                   LastKnownViews lastKnown, Executor readers, Duration wait) {
        this.held = held;
        this.reader = reader;
        this.lastKnown = lastKnown;
        this.readers = readers;
        this.waitNanos = wait.toNanos();
    }

    /**
     * The service's view: held, read within the wait, or last known.
     *
     * @throws RegistryUnavailableException if the cluster cannot be reached and the service was never seen
     */
    ServiceView view(String service) {
        ServiceView current = held.apply(service);
        if (current != null) {
            lastKnown.remember(current);
            return current;
        }
        Read read = readOf(service);
        Optional<ServiceView> known = lastKnown.get(service);
        try {
            if (known.isEmpty()) {
                return read.view().get();
            }
            long left = read.startedNanos() + waitNanos - System.nanoTime();
            return read.view().get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            return known.get();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof HazelcastClientOfflineException
                    || failed.getCause() instanceof HazelcastException) {
                return known.orElseThrow(() -> new RegistryUnavailableException(
                        "the cluster cannot be reached and " + service + " has not been seen before",
                        failed.getCause()));
            }
            throw failed.getCause() instanceof RuntimeException unexpected ? unexpected
                    : new IllegalStateException("reading " + service + " failed", failed.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return known.orElseThrow(() -> new RegistryUnavailableException(
                    "interrupted while reading " + service, e));
        }
    }

    /** The read of the service under way, or a new one: one at a time per service, however many lookups wait. */
    private Read readOf(String service) {
        Read mine = new Read(new CompletableFuture<>(), System.nanoTime());
        Read underWay = reading.putIfAbsent(service, mine);
        if (underWay != null) {
            return underWay;
        }
        try {
            readers.execute(() -> {
                // Off the map before it completes: a lookup after this read ended starts a read of its own.
                try {
                    ServiceView view = reader.apply(service);
                    lastKnown.remember(view);
                    reading.remove(service, mine);
                    mine.view().complete(view);
                } catch (RuntimeException e) {
                    reading.remove(service, mine);
                    mine.view().completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException closed) {
            reading.remove(service, mine);
            mine.view().completeExceptionally(new HazelcastClientOfflineException());
        }
        return mine;
    }
}
