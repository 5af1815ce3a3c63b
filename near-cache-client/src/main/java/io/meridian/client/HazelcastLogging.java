package io.meridian.client;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The level of Hazelcast's logging through {@code java.util.logging}, its default logging type. The logger is held
 * here for good: {@code java.util.logging} keeps loggers weakly, and one collected would forget its level.
 */
final class HazelcastLogging {

    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

    private HazelcastLogging() {
    }

    static void setLevel(Level level) {
        HAZELCAST.setLevel(level);
    }
}
