package io.meridian.client;

import com.hazelcast.core.HazelcastException;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.ServiceView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lookups whose read of the cluster is held up (as by a member cut off by a partition) answer the last known view
 * instead of waiting; a service never seen waits for its read.
 */
class BoundedLookupsTest {

    private static final Duration WAIT = Duration.ofMillis(50);

    private final ExecutorService readers = Executors.newFixedThreadPool(2);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final LastKnownViews lastKnown = new LastKnownViews();
    private final AtomicReference<ServiceView> held = new AtomicReference<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile CountDownLatch readMayEnd = new CountDownLatch(0);
    private volatile Function<String, ServiceView> cluster = service -> view(1);

    private final BoundedLookups lookups = new BoundedLookups(service -> held.get(), service -> {
        reads.incrementAndGet();
        try {
            readMayEnd.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return cluster.apply(service);
    }, lastKnown, readers, WAIT);

    @AfterEach
    void stop() {
        readMayEnd.countDown();
        readers.shutdownNow();
        callers.shutdownNow();
    }

    @Test
    void aHeldViewIsAnsweredWithNoRead() {
        held.set(view(3));
        assertSame(held.get(), lookups.view("svc"));
        assertEquals(0, reads.get());
        assertSame(held.get(), lastKnown.get("svc").orElseThrow(), "what was answered is remembered");
    }

    @Test
    void aHeldUpReadIsAnsweredWithTheLastKnownViewAndEndsInItLater() throws Exception {
        ServiceView first = lookups.view("svc");
        readMayEnd = new CountDownLatch(1);
        cluster = service -> view(2);

        assertSame(first, lookups.view("svc"), "the read is held up: the last known view answers");
        assertSame(first, lookups.view("svc"), "a lookup while the same read is still held up");
        // The read runs on the readers' pool, which a busy machine may start after the lookups have answered: it is
        // counted once it starts. One read under way for the service, however many lookups:
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> reads.get() == 2);

        readMayEnd.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> lastKnown.get("svc").orElseThrow().index() == 2);
        assertEquals(2, lookups.view("svc").index(), "the next lookup reads again and gets the late read's news");
    }

    @Test
    void aServiceNeverSeenWaitsForItsRead() throws Exception {
        readMayEnd = new CountDownLatch(1);
        Future<ServiceView> lookup = callers.submit(() -> lookups.view("svc"));
        TimeUnit.MILLISECONDS.sleep(WAIT.toMillis() * 4);
        assertFalse(lookup.isDone(), "nothing known to answer with: the lookup waits");
        readMayEnd.countDown();
        assertEquals(1, lookup.get(10, TimeUnit.SECONDS).index());
    }

    @Test
    void aFailedReadAnswersTheLastKnownViewOrSaysTheRegistryIsUnavailable() {
        cluster = service -> {
            throw new HazelcastException("member gone");
        };
        assertThrows(RegistryUnavailableException.class, () -> lookups.view("svc"));

        ServiceView known = view(7);
        lastKnown.remember(known);
        assertSame(known, lookups.view("svc"));
    }

    private static ServiceView view(long index) {
        return new ServiceView("default", "svc", index, List.of());
    }
}
