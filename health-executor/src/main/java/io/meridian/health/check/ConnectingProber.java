package io.meridian.health.check;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A prober whose runs open connections through a {@link CheckConnections} of its own: its runs start on that event
 * loop, with no hand-over between threads, and closing the prober stops the loop.
 */
abstract class ConnectingProber implements Prober {

    /** Where this prober's connections are opened and timed. */
    protected final CheckConnections connections;

    ConnectingProber(String threadName) {
        this.connections = new CheckConnections(threadName);
    }

    @Override
    public final Optional<ScheduledExecutorService> startsRunsOn() {
        return Optional.of(connections.loop());
    }

    @Override
    public final void close() {
        connections.close();
    }
}
