package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import com.hazelcast.cp.CPSubsystem;
import io.meridian.registry.durable.DurableDocument;
import io.meridian.registry.durable.DurableWrites;
import io.meridian.registry.durable.VersionedValue;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small document of the cluster's durable state in one CP {@code IAtomicReference}: every change is one Raft commit
 * of a function, passes the cluster's restore gate first and is acknowledged once a majority of members has the new
 * state on disk. The state carries an index that grows with every change, so copies from several disks merge by
 * keeping the newest. Thread-safe.
 *
 * @param <S> the state: immutable, serializable, with its index
 */
public final class CpDocument<S extends CpDocument.Versioned<S>> implements DurableDocument {

    /** A document's state: its index, and the same state at another index. */
    public interface Versioned<S> extends Serializable {
        long index();

        S withIndex(long index);
    }

    private final CpReference<S> state;
    private final DurableWrites durable;
    private final String durableKey;
    private final S empty;
    private final Class<S> type;
    /** The newest state this node read, committed or merged: what is left of the document if the majority is lost. */
    private final AtomicReference<S> seen = new AtomicReference<>();

    /**
     * @param name       the CP reference's name
     * @param durableKey the document's key in the durable state
     * @param empty      the state before the first change, at index 0
     */
    public CpDocument(CPSubsystem cp, String name, Duration timeout, DurableWrites durable, String durableKey,
                      S empty, Class<S> type) {
        this.state = new CpReference<>(cp, name, timeout);
        this.durable = durable;
        this.durableKey = durableKey;
        this.empty = empty;
        this.type = type;
    }

    /** The committed state, read linearizably. */
    public S read() {
        return saw(orEmpty(state.get()));
    }

    /**
     * The document as this node holds it without the CP group: the newest state it read, committed or merged, under
     * the document's durable key; empty if it has seen none. What a recovery after losing the CP majority puts back.
     */
    public Map<String, VersionedValue> lastSeen() {
        S held = seen.get();
        return held == null ? Map.of() : Map.of(durableKey, new VersionedValue(held.index(), held));
    }

    private S saw(S state) {
        seen.accumulateAndGet(state, (held, newer) -> held != null && held.index() > newer.index() ? held : newer);
        return state;
    }

    /**
     * Commits the change, applied to the committed state (the empty one before the first change) with the index the
     * new state must exceed; returns the state before and after.
     */
    public Change<S> commit(IFunction<S, S> change) {
        durable.requireWritable();
        S before = orEmpty(state.getAndAlter(new OrEmpty<>(empty, change)));
        S after = saw(new OrEmpty<>(empty, change).apply(before));
        persist(after);
        return new Change<>(before, after);
    }

    /** What a commit changed. */
    public record Change<S>(S before, S after) {
    }

    @Override
    public Map<String, VersionedValue> committedState() {
        S held = state.get();
        return held == null ? Map.of() : Map.of(durableKey, new VersionedValue(held.index(), held));
    }

    @Override
    public void merge(Map<String, VersionedValue> durableState) {
        S offered = stateIn(durableState);
        if (offered != null) {
            persist(saw(state.alterAndGet(new KeepNewer<>(offered))));
        }
    }

    @Override
    public void replace(Map<String, VersionedValue> durableState) {
        S offered = stateIn(durableState);
        commit(new Replace<>(offered == null ? empty : offered, proposal()));
    }

    /** Wall-clock microseconds, the index a change proposes; a state takes the larger of it and its own plus one. */
    public static long proposal() {
        return System.currentTimeMillis() * 1_000L;
    }

    /** The index after {@code current}'s for a change proposing {@code proposal}. */
    public static long next(Versioned<?> current, long proposal) {
        return Math.max(current.index() + 1, proposal);
    }

    private S stateIn(Map<String, VersionedValue> durableState) {
        VersionedValue value = durableState.get(durableKey);
        return value != null && type.isInstance(value.value()) ? type.cast(value.value()) : null;
    }

    private S orEmpty(S held) {
        return held == null ? empty : held;
    }

    private void persist(S after) {
        durable.persist(Map.of(durableKey, new VersionedValue(after.index(), after)));
    }

    /** Applies the change to the empty state when the reference holds none yet. */
    private record OrEmpty<S>(S empty, IFunction<S, S> change) implements IFunction<S, S> {
        @Override
        public S apply(S current) {
            return change.apply(current == null ? empty : current);
        }
    }

    private record KeepNewer<S extends Versioned<S>>(S offered) implements IFunction<S, S> {
        @Override
        public S apply(S current) {
            return current != null && current.index() >= offered.index() ? current : offered;
        }
    }

    private record Replace<S extends Versioned<S>>(S replacement, long proposal) implements IFunction<S, S> {
        @Override
        public S apply(S current) {
            return replacement.withIndex(Math.max(replacement.index(), next(current, proposal)));
        }
    }
}
