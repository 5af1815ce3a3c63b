package io.meridian.client;

import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;


/**
 * Follows a Hazelcast client's connection to the cluster from before the client starts, so that the SDK can act on
 * every connection (the first and each reconnection) and every loss of it. Thread-safe.
 */
final class ConnectionWatcher implements LifecycleListener {

    private volatile Runnable onConnected = () -> {
    };
    private volatile Runnable onDisconnected = () -> {
    };
    private final CountDownLatch connectedOnce = new CountDownLatch(1);

    @Override
    public void stateChanged(LifecycleEvent event) {
        if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
            connectedOnce.countDown();
            onConnected.run();
        } else if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED) {
            onDisconnected.run();
        }
    }

    /** Waits until the client has connected once; false if the timeout ran out first. */
    boolean awaitFirstConnection(Duration timeout) throws InterruptedException {
        return connectedOnce.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What to do on each connection from now on; it runs on a Hazelcast event thread, so it must not block. */
    void onConnected(Runnable action) {
        this.onConnected = action;
    }

    /** What to do each time the client loses the cluster from now on; as {@link #onConnected}, it must not block. */
    void onDisconnected(Runnable action) {
        this.onDisconnected = action;
    }
}
