package io.meridian.client;

import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;


/**
 * Follows a Hazelcast client's connection to the cluster from before the client starts, so that the SDK can act on
 * every connection: the first and each reconnection. Thread-safe.
 */
final class ConnectionWatcher implements LifecycleListener {

    private volatile Runnable onConnected = () -> {
    };

    @Override
    public void stateChanged(LifecycleEvent event) {
        if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
            onConnected.run();
        }
    }

    /** What to do on each connection from now on; it runs on a Hazelcast event thread, so it must not block. */
    void onConnected(Runnable action) {
        this.onConnected = action;
    }
}
