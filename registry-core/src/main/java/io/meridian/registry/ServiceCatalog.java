package io.meridian.registry;

import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The services of a namespace with the union of their instances' tags, ordered by name, and the namespace's index,
 * which grows with every change to any service in it.
 */
public record ServiceCatalog(long index, SortedMap<String, SortedSet<String>> tagsByService) {

    public ServiceCatalog {
        tagsByService = Collections.unmodifiableSortedMap(new TreeMap<>(tagsByService));
    }
}
