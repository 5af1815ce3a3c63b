package io.meridian.registry.grid;

import com.hazelcast.query.Predicate;

import java.util.Map;

/** Selects the projection entries of one namespace by their key prefix. */
record NamespacePredicate<V>(String namespace) implements Predicate<String, V> {

    @Override
    public boolean apply(Map.Entry<String, V> entry) {
        return entry.getKey().startsWith(namespace + '/');
    }
}
