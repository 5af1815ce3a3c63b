package io.meridian.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.IAtomicLong;
import io.meridian.http.wire.ChangeEventShapes;
import io.meridian.registry.ChangeEvents;
import io.meridian.registry.ChangesExpiredException;
import io.meridian.registry.PositionedChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the change-event stream to a Kafka topic, keyed by {@code namespace/service}, so that one service's
 * events keep their order in one partition. The oldest member of the cluster publishes; the others stand by and take
 * over when it leaves. The position after the last batch Kafka acknowledged is kept in a CP {@code IAtomicLong}, so
 * the member that takes over resumes there: delivery is at least once (a batch whose acknowledgement was lost is sent
 * again), and the producer is idempotent, so its own retries add no duplicates. A failed batch is sent again, after a
 * pause, through a new producer, from the kept position; nothing is skipped unless the stream no longer holds it,
 * which {@code meridian_events_kafka_skipped_total} counts.
 *
 * <p>Meters: {@code meridian_events_kafka_lag} (events in the stream not yet acknowledged by Kafka, on the publishing
 * member; 0 elsewhere), {@code meridian_events_kafka_sent_total}, {@code meridian_events_kafka_failures_total} and
 * {@code meridian_events_kafka_skipped_total}. {@link #close()} stops publishing.
 */
final class KafkaEventSink implements AutoCloseable {

    static final String POSITION = "meridian-events-kafka-position";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSink.class);
    private static final int BATCH = 500;
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final Duration SEND_BOUND = Duration.ofSeconds(30);

    private final HazelcastInstance member;
    private final ChangeEvents changes;
    private final ChangeEventShapes shapes;
    private final ObjectMapper mapper = new ObjectMapper();
    private final EventSettings settings;
    private final IAtomicLong position;
    private final AtomicLong lag = new AtomicLong();
    private final Counter sent;
    private final Counter failures;
    private final Counter skipped;
    private final Thread publisher;
    private volatile boolean closed;
    private KafkaProducer<String, byte[]> producer;

    KafkaEventSink(HazelcastInstance member, ChangeEvents changes, ChangeEventShapes shapes, EventSettings settings,
                   MeterRegistry meters) {
        this.member = member;
        this.changes = changes;
        this.shapes = shapes;
        this.settings = settings;
        this.position = member.getCPSubsystem().getAtomicLong(POSITION);
        Gauge.builder("meridian.events.kafka.lag", lag, AtomicLong::get)
                .description("change events not yet acknowledged by Kafka").register(meters);
        this.sent = Counter.builder("meridian.events.kafka.sent").description("change events Kafka acknowledged")
                .register(meters);
        this.failures = Counter.builder("meridian.events.kafka.failures")
                .description("batches of change events Kafka did not take, each sent again").register(meters);
        this.skipped = Counter.builder("meridian.events.kafka.skipped")
                .description("change events gone from the stream before they were sent").register(meters);
        this.publisher = new Thread(this::publishWhileOldest, "meridian-kafka-sink");
        publisher.setDaemon(true);
    }

    KafkaEventSink start() {
        publisher.start();
        return this;
    }

    private void publishWhileOldest() {
        while (!closed) {
            try {
                if (isOldestMember()) {
                    publishOneBatch();
                } else {
                    lag.set(0);
                    Thread.sleep(IDLE_WAIT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                if (closed) {
                    return;
                }
                failures.increment();
                LOG.warn("publishing change events to Kafka failed; sending again from the kept position", e);
                closeProducer();
                pause();
            }
        }
        closeProducer();
    }

    private boolean isOldestMember() {
        return member.getCluster().getMembers().iterator().next().localMember();
    }

    private void publishOneBatch() throws InterruptedException, ExecutionException, TimeoutException {
        long from = startPosition();
        List<PositionedChange> batch;
        CompletableFuture<List<PositionedChange>> pending = changes.readFrom(from, BATCH);
        try {
            batch = pending.get(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException nothingNew) {
            pending.cancel(false);
            lag.set(0);
            return;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChangesExpiredException expired) {
                skipped.increment(expired.oldestPosition() - from);
                LOG.warn("change events {} to {} left the stream before Kafka took them", from,
                        expired.oldestPosition() - 1);
                position.compareAndSet(from, expired.oldestPosition());
                return;
            }
            throw e;
        }
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(batch.size());
        KafkaProducer<String, byte[]> kafka = producer();
        for (PositionedChange change : batch) {
            String key = change.event().namespace() + '/' + change.event().service();
            acknowledgements.add(kafka.send(new ProducerRecord<>(settings.kafkaTopic(), key, json(change))));
        }
        kafka.flush();
        long deadline = System.nanoTime() + SEND_BOUND.toNanos();
        for (Future<RecordMetadata> acknowledgement : acknowledgements) {
            acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        long next = batch.get(batch.size() - 1).position() + 1;
        position.set(next);
        sent.increment(batch.size());
        lag.set(Math.max(0, changes.nextPosition() - next));
    }

    /**
     * The kept position; the oldest event the stream holds when none was kept yet, or when the kept one is past the
     * stream's end (the stream started again while the CP group kept the position).
     */
    private long startPosition() {
        long kept = position.get();
        if (kept > 0 && kept <= changes.nextPosition()) {
            return kept;
        }
        long oldest = changes.oldestPosition();
        position.compareAndSet(kept, oldest);
        return oldest;
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap().orElseThrow(),
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_BOUND.toMillis(),
                    ProducerConfig.CLIENT_ID_CONFIG, "meridian-" + member.getName()),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private byte[] json(PositionedChange change) {
        try {
            return mapper.writeValueAsBytes(shapes.of(change));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        publisher.interrupt();
        try {
            publisher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
