package io.meridian.registry.grid;

import java.io.Serializable;
import java.util.List;

/**
 * What a service's header knows of one of its slices: how many instances it holds, their tags, and the slice's
 * version (the highest index of its parts), so that a late summary never replaces a newer one.
 */
record BucketSummary(long version, int instances, List<String> tags) implements Serializable {

    BucketSummary {
        tags = List.copyOf(tags);
    }
}
