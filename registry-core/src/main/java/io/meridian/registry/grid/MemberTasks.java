package io.meridian.registry.grid;

import com.hazelcast.config.Config;
import com.hazelcast.core.ManagedContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands each {@link MemberTask} that arrives at a member the handler it needs there: Hazelcast calls this
 * {@link ManagedContext} for every task it deserializes. Installed on a member's configuration before the member
 * starts; the member's components then {@link #provide} their handlers. A task that arrives before its handler is
 * provided, or at a member that provides none, is handed {@code null}. Thread-safe.
 */
public final class MemberTasks implements ManagedContext {

    private final Map<Class<?>, Object> handlers = new ConcurrentHashMap<>();

    /** Makes this the member's managed context; returns the configuration. */
    public Config installOn(Config config) {
        return config.setManagedContext(this);
    }

    /** From now on, tasks that need a {@code type} are handed {@code handler}. */
    public <H> void provide(Class<H> type, H handler) {
        handlers.put(type, handler);
    }

    /** Stops handing out {@code handler}, if it is still the one provided for {@code type}. */
    public <H> void withdraw(Class<H> type, H handler) {
        handlers.remove(type, handler);
    }

    @Override
    public Object initialize(Object object) {
        if (object instanceof MemberTask<?> task) {
            hand(task);
        }
        return object;
    }

    private <H> void hand(MemberTask<H> task) {
        task.handleWith(task.handlerType().cast(handlers.get(task.handlerType())));
    }
}
