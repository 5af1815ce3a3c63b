package io.meridian.registry;

import java.util.Locale;

/** What a committed change did to an instance. */
public enum ChangeType {
    /** The instance was not registered before. */
    REGISTERED,
    /** The instance was registered and changed: its address, tags, meta, weights, checks or a check's status. */
    UPDATED,
    /** The instance is gone. */
    DEREGISTERED;

    /** The name in JSON and in server-sent events: {@code registered}, {@code updated}, {@code deregistered}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
