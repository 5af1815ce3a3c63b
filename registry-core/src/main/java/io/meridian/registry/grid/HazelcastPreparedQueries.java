package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import com.hazelcast.cp.CPSubsystem;
import io.meridian.registry.PreparedQueries;
import io.meridian.registry.PreparedQuery;
import io.meridian.registry.RegistrationAdmission;
import io.meridian.registry.UnknownPreparedQueryException;
import io.meridian.registry.durable.DurableDocument;
import io.meridian.registry.durable.DurableWrites;
import io.meridian.registry.durable.VersionedValue;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link PreparedQueries} as one {@link CpDocument}: each change is one Raft commit that checks names and ids
 * against the committed state, so two nodes creating queries of one name at once cannot both succeed. Reads are
 * linearizable reads of the CP reference. Thread-safe.
 */
public final class HazelcastPreparedQueries implements PreparedQueries, DurableDocument {

    /** The key of the prepared queries in the durable state. */
    public static final String DURABLE_KEY = "prepared-queries";

    private final CpDocument<QueryState> document;
    private volatile RegistrationAdmission admission = RegistrationAdmission.ALWAYS;

    public HazelcastPreparedQueries(CPSubsystem cp, Duration timeout, DurableWrites durable) {
        this.document = new CpDocument<>(cp, "meridian-prepared-queries", timeout, durable, DURABLE_KEY,
                QueryState.EMPTY, QueryState.class);
    }

    /**
     * From now on, asks the admission before each new or changed query whether there is room for it, as
     * registrations do: the queries are held by every member too.
     */
    public void admitWritesBy(RegistrationAdmission writeAdmission) {
        this.admission = writeAdmission;
    }

    @Override
    public PreparedQuery create(PreparedQuery query) {
        admission.requireRoom();
        String id = UUID.randomUUID().toString();
        return stored(document.commit(new Put(query.at(0, 0), id, true, CpDocument.proposal())).after(), id);
    }

    @Override
    public PreparedQuery update(PreparedQuery query) {
        admission.requireRoom();
        CpDocument.Change<QueryState> change = document.commit(new Put(query, query.id(), false,
                CpDocument.proposal()));
        if (!change.before().queries().containsKey(query.id())) {
            throw new UnknownPreparedQueryException(query.id());
        }
        return stored(change.after(), query.id());
    }

    /** The query as the state holds it; a clash of names left the state as it was, without it. */
    private static PreparedQuery stored(QueryState state, String id) {
        PreparedQuery stored = state.queries().get(id);
        if (stored == null || state.rejected().equals(id)) {
            throw new IllegalArgumentException("another prepared query has this name");
        }
        return stored;
    }

    @Override
    public void delete(String id) {
        if (!document.commit(new Delete(id, CpDocument.proposal())).before().queries().containsKey(id)) {
            throw new UnknownPreparedQueryException(id);
        }
    }

    @Override
    public Optional<PreparedQuery> find(String idOrName) {
        Map<String, PreparedQuery> queries = document.read().queries();
        return Optional.ofNullable(queries.get(idOrName)).or(() -> idOrName.isEmpty() ? Optional.empty()
                : queries.values().stream().filter(query -> query.name().equals(idOrName)).findFirst());
    }

    @Override
    public List<PreparedQuery> all() {
        return document.read().queries().values().stream()
                .sorted(Comparator.comparing(PreparedQuery::name).thenComparing(PreparedQuery::id)).toList();
    }

    @Override
    public Map<String, VersionedValue> committedState() {
        return document.committedState();
    }

    /**
     * The prepared queries as this node last read or wrote them, as durable state: answers without the CP group. What
     * a recovery after losing the CP majority puts back with {@link #merge}.
     */
    public Map<String, VersionedValue> lastSeen() {
        return document.lastSeen();
    }

    /** How many prepared queries the durable state holds. */
    public static int count(Map<String, VersionedValue> durableState) {
        VersionedValue value = durableState.get(DURABLE_KEY);
        return value != null && value.value() instanceof QueryState state ? state.queries().size() : 0;
    }

    @Override
    public void merge(Map<String, VersionedValue> durableState) {
        document.merge(durableState);
    }

    @Override
    public void replace(Map<String, VersionedValue> durableState) {
        document.replace(durableState);
    }

    /**
     * The queries by id, at the index of the last change; {@code rejected} names the id of the last change if it was
     * refused for a name another query has (the state is otherwise unchanged), else is empty.
     */
    record QueryState(long index, Map<String, PreparedQuery> queries, String rejected)
            implements CpDocument.Versioned<QueryState> {
        static final QueryState EMPTY = new QueryState(0, Map.of(), "");

        @Override
        public QueryState withIndex(long newIndex) {
            return new QueryState(newIndex, queries, "");
        }
    }

    /** Puts the query under the id: a new one only if the id is free, a replacement only if it is taken. */
    private record Put(PreparedQuery query, String id, boolean create, long proposal)
            implements IFunction<QueryState, QueryState> {
        @Override
        public QueryState apply(QueryState current) {
            PreparedQuery held = current.queries().get(id);
            if (create == (held != null)) {
                return current;
            }
            boolean nameTaken = !query.name().isEmpty() && current.queries().values().stream()
                    .anyMatch(other -> !other.id().equals(id) && other.name().equals(query.name()));
            long index = CpDocument.next(current, proposal);
            if (nameTaken) {
                return new QueryState(index, current.queries(), id);
            }
            Map<String, PreparedQuery> queries = new HashMap<>(current.queries());
            queries.put(id, new PreparedQuery(id, query.name(), query.namespace(), query.service(), query.tags(),
                    query.onlyPassing(), query.near(), query.dnsTtl(), held == null ? index : held.createIndex(),
                    index));
            return new QueryState(index, queries, "");
        }
    }

    private record Delete(String id, long proposal) implements IFunction<QueryState, QueryState> {
        @Override
        public QueryState apply(QueryState current) {
            if (!current.queries().containsKey(id)) {
                return current;
            }
            Map<String, PreparedQuery> queries = new HashMap<>(current.queries());
            queries.remove(id);
            return new QueryState(CpDocument.next(current, proposal), queries, "");
        }
    }
}
