package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import io.meridian.registry.ChangeEvent;
import io.meridian.registry.ChangeType;
import io.meridian.registry.ChangesExpiredException;
import io.meridian.registry.PositionedChange;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The change-event stream on a real three-member cluster: each member publishes what it owns, any member reads. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeEventsTest {

    private static TestCluster cluster;
    private static HazelcastRegistry writer;
    private static final List<ChangePublisher> publishers = new ArrayList<>();
    private static HazelcastChangeEvents reader;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
        cluster.members().forEach(member -> publishers.add(new ChangePublisher(member)));
        writer = new HazelcastRegistry(cluster.member(0), RegistrySettings.defaults("w"), Clock.systemUTC());
        reader = new HazelcastChangeEvents(cluster.member(1));
    }

    @AfterAll
    static void stop() {
        reader.close();
        publishers.forEach(ChangePublisher::close);
        writer.close();
        cluster.close();
    }

    @Test
    @Order(1)
    void everyCommittedChangeIsAnEventInOrderForItsInstance() throws Exception {
        long start = reader.nextPosition();
        writer.register(instance("ev", "ev-1", "v1"));
        writer.register(instance("ev", "ev-1", "v2"));
        writer.register(instance("other", "other-1"));
        writer.deregister(ServiceInstance.DEFAULT_NAMESPACE, "ev-1");

        List<PositionedChange> read = readAtLeast(start, 4);

        List<ChangeEvent> ev1 = read.stream().map(PositionedChange::event)
                .filter(event -> event.instance().equals("ev-1")).toList();
        assertEquals(List.of(ChangeType.REGISTERED, ChangeType.UPDATED, ChangeType.DEREGISTERED),
                ev1.stream().map(ChangeEvent::type).toList());
        assertTrue(ev1.get(0).index() < ev1.get(1).index() && ev1.get(1).index() < ev1.get(2).index(),
                "indexes grow: " + ev1);
        assertEquals(List.of("v2"), ev1.get(1).state().instance().tags(), "an update carries the new state");
        assertNull(ev1.get(2).state());
        assertEquals("ev", ev1.get(2).service());
        ChangeEvent other = read.stream().map(PositionedChange::event)
                .filter(event -> event.instance().equals("other-1")).findFirst().orElseThrow();
        assertEquals(ChangeType.REGISTERED, other.type());
        assertEquals(4, read.stream().map(change -> change.event().id()).distinct().count(), "each once: " + read);
        for (int i = 1; i < read.size(); i++) {
            assertEquals(read.get(i - 1).position() + 1, read.get(i).position(), "positions follow one another");
        }
    }

    @Test
    @Order(2)
    void aWaitingConsumerIsWokenByTheNextChange() throws Exception {
        long next = reader.nextPosition();
        CompletableFuture<List<PositionedChange>> waiting = reader.readFrom(next, 10);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        assertEquals(1, reader.waitingReads(), "it waits on the tail");

        writer.register(instance("woken", "woken-1"));

        List<PositionedChange> woken = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(next, woken.get(0).position());
        assertEquals("woken-1", woken.get(0).event().instance());
        assertThrows(IllegalArgumentException.class, () -> reader.readFrom(reader.nextPosition() + 5, 10));

        long end = reader.nextPosition();
        for (int i = 0; i < 1_000; i++) {
            reader.readFrom(end, 10).completeOnTimeout(List.of(), 1, TimeUnit.MILLISECONDS);
            reader.readFrom(end, 10).cancel(false);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.waitingReads() == 0);
    }

    @Test
    @Order(3)
    void aConsumerTooFarBehindIsToldWhereToResume() throws Exception {
        long start = reader.nextPosition();
        for (int i = 0; i < TestCluster.CHANGE_EVENTS_KEPT + 10; i++) {
            writer.register(instance("flood", "flood-" + i));
        }
        readAtLeast(start + TestCluster.CHANGE_EVENTS_KEPT + 9, 1);

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> reader.readFrom(start, 10).get(10, TimeUnit.SECONDS));
        ChangesExpiredException expired = assertInstanceOf(ChangesExpiredException.class, failed.getCause());
        assertTrue(expired.oldestPosition() > start);
        assertEquals(reader.nextPosition(), expired.snapshotPosition());
    }

    @Test
    @Order(4)
    void losingAMemberLosesNoKeptEventAndItsRecentChangesArePublishedAgain() throws Exception {
        long oldest = reader.oldestPosition();
        List<String> before = readAtLeast(oldest, (int) (reader.nextPosition() - oldest)).stream()
                .map(change -> change.event().id()).toList();

        long next = reader.nextPosition();
        HazelcastInstance lost = cluster.member(2);
        cluster.terminate(lost);

        List<String> after = readAtLeast(oldest, before.size()).stream().map(change -> change.event().id())
                .limit(before.size()).toList();
        assertEquals(before, after);
        // More may come again than the small test ring keeps: read what it keeps once they stopped coming.
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.nextPosition() > next);
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(500)).until(new Quiet());
        long from = Math.max(next, reader.oldestPosition());
        for (PositionedChange again : readAtLeast(from, (int) (reader.nextPosition() - from))) {
            ChangeEvent event = again.event();
            var current = writer.service(event.namespace(), event.service()).instances().stream()
                    .filter(entry -> entry.instance().id().equals(event.instance())).findFirst().orElseThrow();
            assertEquals(current.modifyIndex(), event.index(), "published again as first published: " + event);
            assertEquals(current.createIndex() == current.modifyIndex() ? ChangeType.REGISTERED : ChangeType.UPDATED,
                    event.type());
        }
    }

    /** True once the stream's end stayed where it was since the last call. */
    private static final class Quiet implements Callable<Boolean> {
        private long last = -1;

        @Override
        public Boolean call() {
            long now = reader.nextPosition();
            boolean quiet = now == last;
            last = now;
            return quiet;
        }
    }

    /** Reads from {@code from} until at least {@code count} events came, within 10 s. */
    private static List<PositionedChange> readAtLeast(long from, int count) throws Exception {
        List<PositionedChange> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long position = from;
        while (read.size() < count) {
            List<PositionedChange> batch = reader.readFrom(position, 100)
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            read.addAll(batch);
            position = batch.get(batch.size() - 1).position() + 1;
        }
        return read;
    }
}
