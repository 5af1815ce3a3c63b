package io.meridian.registry.grid;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.MapListener;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which service headers' change events a registry hears, through one listener. A member hears every header's: its
 * namespaces' indexes and catalog watches are kept from them, and every member holds every header anyway. A client
 * hears only the headers of the services it holds a waiter for ({@link #follow}), one key listener each, until it
 * asks a question about whole namespaces ({@link #followAll}); so a client that uses a few services is not sent the
 * change of every service in the cluster, with its value, on every write. A client that follows more than
 * {@value #MOST_KEYS} keys at once hears every header from then on: a member checks each change against every key
 * listener of the map, so their number must stay bounded, and such a client uses much of the registry anyway.
 *
 * <p>A key's listener is added and removed on a thread of the feed's own, since each is a round trip to the members;
 * once it is in place, {@code caughtUp} is told the key, so that a change made while the listener was on its way can
 * be made up for. A listener that could not be added (the client is between connections) is tried
 * again every second while its key is followed. Thread-safe; {@link #close()} removes every listener.
 */
final class HeaderFeed implements Watches.Followers, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeaderFeed.class.getName());
    private static final long RETRY_MILLIS = 1_000;
    /** The most keys followed one by one; past that, every header is. */
    static final int MOST_KEYS = 64;
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final IMap<String, ServiceHeader> headers;
    private final MapListener listener;
    private final Consumer<String> caughtUp;
    /** Adds and removes the key listeners; the only thread that touches {@link #followed}. */
    private final ScheduledExecutorService registrar;
    /** Each followed key's listener, with the follower it is held for; confined to {@link #registrar}. */
    private final Map<String, KeyListener> followed = new HashMap<>();
    /** The listener of every header, once there is one; written under this. */
    private volatile UUID everyKey;

    /**
     * A feed of no header's changes yet: {@link #follow} keys, or {@link #followAll}.
     *
     * @param caughtUp told each followed key once its listener is in place
     */
    HeaderFeed(IMap<String, ServiceHeader> headers, MapListener listener, Consumer<String> caughtUp) {
        this.headers = headers;
        this.listener = listener;
        this.caughtUp = caughtUp;
        this.registrar = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-header-feed");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts hearing the key's changes, for {@code follower}, which takes over the key from any earlier follower: an
     * {@link #unfollow} by the earlier one then leaves the listener in place. Returns at once.
     */
    @Override
    public void follow(String key, Object follower) {
        if (everyKey != null) {
            return;
        }
        onRegistrar(() -> {
            KeyListener held = followed.get(key);
            if (held != null) {
                held.follower = follower;
            } else if (followed.size() >= MOST_KEYS) {
                followAllOrRetry(key);
            } else if (everyKey == null) {
                KeyListener added = new KeyListener(key, follower);
                followed.put(key, added);
                add(added);
            }
        });
    }

    /** Stops hearing the key's changes, unless another follower took it over since. Returns at once. */
    @Override
    public void unfollow(String key, Object follower) {
        onRegistrar(() -> {
            KeyListener held = followed.get(key);
            if (held != null && held.follower == follower) {
                followed.remove(key);
                remove(held);
            }
        });
    }

    /**
     * Hears every header's changes from now on, before it returns; the key listeners are then removed, since the
     * listener of every header hears their keys too.
     *
     * @throws com.hazelcast.core.HazelcastException if the listener cannot be added (the client is offline)
     */
    void followAll() {
        if (everyKey != null) {
            return;
        }
        synchronized (this) {
            if (everyKey == null) {
                everyKey = headers.addEntryListener(listener, true);
                onRegistrar(() -> {
                    followed.values().forEach(this::remove);
                    followed.clear();
                });
            }
        }
    }

    /** Whether the feed hears every header's changes. */
    boolean followsAll() {
        return everyKey != null;
    }

    /** How many keys have a listener of their own. */
    int followedKeys() {
        try {
            return registrar.submit(followed::size).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting the followed keys", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** On the registrar: adds the key's listener, or tries again later while the key is still followed. */
    private void add(KeyListener key) {
        if (followed.get(key.key) != key || everyKey != null) {
            return;
        }
        try {
            key.id = headers.addEntryListener(listener, key.key, true);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not listen to " + key.key + " yet; trying again", e);
            registrar.schedule(() -> add(key), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        caughtUp.accept(key.key);
    }

    /**
     * On the registrar: {@link #followAll}, or, if the listener cannot be added yet, again a moment later; then
     * {@code caughtUp} is told the key that asked, as a key listener's would be.
     */
    private void followAllOrRetry(String key) {
        try {
            followAll();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not listen to every header yet; trying again", e);
            registrar.schedule(() -> followAllOrRetry(key), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        caughtUp.accept(key);
    }

    /** On the registrar: removes the key's listener, if it was added. */
    private void remove(KeyListener key) {
        if (key.id == null) {
            return;
        }
        try {
            headers.removeEntryListener(key.id);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not remove the listener of " + key.key, e);
        }
    }

    private void onRegistrar(Runnable task) {
        try {
            registrar.execute(task);
        } catch (RejectedExecutionException closed) {
            LOG.log(Level.FINE, "the header feed is closed", closed);
        }
    }

    /** Removes every listener, waiting at most {@value #CLOSE_WAIT_SECONDS} s for the key listeners' removal. */
    @Override
    public void close() {
        try {
            registrar.submit(() -> {
                followed.values().forEach(this::remove);
                followed.clear();
            }).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.log(Level.FINE, "the key listeners were not all removed", e);
        }
        // Drops the retries of listeners still to be added, which would otherwise wait their turn.
        registrar.shutdownNow();
        UUID all = everyKey;
        if (all != null) {
            headers.removeEntryListener(all);
        }
    }

    /** A followed key, its listener's registration once added, and the follower it is held for. */
    private static final class KeyListener {
        private final String key;
        private Object follower;
        private UUID id;

        KeyListener(String key, Object follower) {
            this.key = key;
            this.follower = follower;
        }
    }
}
