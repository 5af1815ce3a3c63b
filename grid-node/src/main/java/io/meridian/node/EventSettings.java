package io.meridian.node;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the change-event stream keeps events, and where it publishes them.
 *
 * @param keepCount       the most events kept ({@code meridian.events.keep-count}); the oldest go first
 * @param keepFor         how long an event is kept at most ({@code meridian.events.keep-for})
 * @param kafkaBootstrap  the Kafka brokers to publish every event to ({@code meridian.events.kafka.bootstrap-servers});
 *                        empty to publish nowhere
 * @param kafkaTopic      the topic they go to ({@code meridian.events.kafka.topic})
 */
public record EventSettings(int keepCount, Duration keepFor, Optional<String> kafkaBootstrap, String kafkaTopic) {

    public static final EventSettings DEFAULTS = new EventSettings(100_000, Duration.ofHours(1), Optional.empty(),
            "service_discovery-events");

    /** @throws IllegalArgumentException if nothing would be kept */
    public EventSettings {
        if (keepCount < 1 || keepFor.toSeconds() < 1) {
            throw new IllegalArgumentException("meridian.events.keep-count and keep-for must keep at least one event"
                    + " for a second");
        }
    }

    /** These settings publishing to the brokers, on the default topic unless it was changed. */
    public EventSettings withKafka(String bootstrapServers) {
        return new EventSettings(keepCount, keepFor, Optional.of(bootstrapServers), kafkaTopic);
    }
}
