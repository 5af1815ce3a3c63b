package io.meridian.registry.grid;

import io.meridian.registry.InstanceEntry;

import java.util.List;

/**
 * Hears which instances with checks a member owns, slice by slice: what its health checker runs. See
 * {@link HazelcastRegistry#followOwnedChecks}.
 */
public interface OwnedChecksListener {

    /**
     * The instances with checks that the projection slice {@code sliceKey} holds now, replacing whatever was said of
     * that slice before; empty once the slice holds none or this member no longer owns it.
     */
    void sliceChanged(String sliceKey, List<InstanceEntry> instancesWithChecks);
}
