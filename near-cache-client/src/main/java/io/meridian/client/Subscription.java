package io.meridian.client;

/** A watch that can be cancelled; cancelling twice is harmless. */
public interface Subscription extends AutoCloseable {

    /** Stops the watch: its listener is not called again once this returns. */
    @Override
    void close();
}
