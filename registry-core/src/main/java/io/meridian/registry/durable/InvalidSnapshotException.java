package io.meridian.registry.durable;

import java.io.IOException;

/** The bytes offered as a snapshot are not a whole, intact Meridian snapshot; nothing was restored from them. */
public final class InvalidSnapshotException extends IOException {

    public InvalidSnapshotException(String message) {
        super(message);
    }
}
