package io.meridian.registry;

import java.util.List;
import java.util.Optional;

/**
 * The cluster's prepared queries, kept with the registry's durability: a change is acknowledged once a majority of
 * members has it on disk, and a whole-cluster restart keeps it. Implementations are thread-safe.
 */
public interface PreparedQueries {

    /**
     * Stores a new query under a new id, whatever id it came with; returns it as stored.
     *
     * @throws IllegalArgumentException if another query has its name
     */
    PreparedQuery create(PreparedQuery query);

    /**
     * Replaces the query with its id.
     *
     * @throws UnknownPreparedQueryException if no query has that id
     * @throws IllegalArgumentException      if another query has its name
     */
    PreparedQuery update(PreparedQuery query);

    /** @throws UnknownPreparedQueryException if no query has that id */
    void delete(String id);

    /** The query with that id, or else with that name. */
    Optional<PreparedQuery> find(String idOrName);

    /** Every query, by name then id. */
    List<PreparedQuery> all();
}
