package io.meridian.client;

import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastException;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceView;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One {@link DiscoveryClient#watch}, on the registry the supplier gives once the client is online: hands each new
 * view of its service to the listener, in order and one at a time, and waits for the next change with a blocking
 * query on the registry. Change events are lost while the client is disconnected, so {@link #reread()} runs on every
 * reconnection: it reads the service afresh, hands the view over if it differs from the last one, and waits again. A
 * wait armed before a reread or a {@link #suspend()} is superseded by it. Thread-safe.
 */
final class ServiceWatch implements Subscription {

    private final Supplier<? extends Registry> registry;
    private final String namespace;
    private final String service;
    private final Consumer<ServiceView> listener;
    private long deliveredIndex = -1;
    private long generation;
    private boolean closed;

    ServiceWatch(Supplier<? extends Registry> registry, String namespace, String service,
                 Consumer<ServiceView> listener) {
        this.registry = registry;
        this.namespace = namespace;
        this.service = service;
        this.listener = listener;
    }

    String service() {
        return service;
    }

    /**
     * Reads the service, hands the view over if it is new, and waits for the next change. Returns false, having done
     * nothing, if the cluster cannot be reached; the next reconnection calls it again.
     */
    boolean reread() {
        ServiceView view;
        try {
            view = registry.get().service(namespace, service);
        } catch (HazelcastClientOfflineException | HazelcastException e) {
            return false;
        }
        long armed = deliver(view);
        if (armed >= 0) {
            waitPast(view.index(), armed);
        }
        return true;
    }

    /**
     * Hands nothing more to the listener until the next {@link #reread()}: the wait armed is superseded. For while
     * the cluster may answer with a registry it has not restored yet.
     */
    synchronized void suspend() {
        generation++;
    }

    /** Hands a view read while the cluster cannot be reached to the listener, unless it has had one. */
    synchronized void deliverStale(ServiceView view) {
        if (!closed && deliveredIndex < 0) {
            deliveredIndex = view.index();
            listener.accept(view);
        }
    }

    /** Hands the view over if it differs from the last; returns the generation of the next wait, or -1 if closed. */
    private synchronized long deliver(ServiceView view) {
        if (closed) {
            return -1;
        }
        if (view.index() != deliveredIndex) {
            deliveredIndex = view.index();
            listener.accept(view);
        }
        return ++generation;
    }

    private void waitPast(long index, long armedGeneration) {
        CompletableFuture<ServiceView> next;
        try {
            next = registry.get().awaitService(namespace, service, index);
        } catch (HazelcastClientOfflineException | HazelcastException e) {
            return;
        }
        next.thenAccept(view -> {
            long armed;
            synchronized (this) {
                if (closed || generation != armedGeneration) {
                    return;
                }
                armed = deliver(view);
            }
            waitPast(view.index(), armed);
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
