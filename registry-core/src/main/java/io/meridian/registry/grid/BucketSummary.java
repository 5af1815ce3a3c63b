package io.meridian.registry.grid;

import java.io.Serializable;
import java.util.List;

/**
 * What a service's header knows of one of its slices: how many instances it holds, their tags, and the slice's
 * version (the sum of its parts' indexes, which grows with every change to the slice), so that a late summary never
 * replaces a newer one.
 */
record BucketSummary(long version, int instances, List<String> tags) implements Serializable {

    BucketSummary {
        tags = List.copyOf(tags);
    }
}
