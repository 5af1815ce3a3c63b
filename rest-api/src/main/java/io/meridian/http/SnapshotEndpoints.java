package io.meridian.http;

import io.javalin.http.Context;
import io.meridian.http.wire.InvalidFieldException;
import io.meridian.operator.DurableState;
import io.meridian.registry.durable.SnapshotArchive;
import io.meridian.registry.durable.VersionedValue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consul's snapshot API: {@code GET /v1/snapshot} answers a snapshot of the registry and the ACLs in
 * {@link SnapshotArchive}'s format, with its index in {@code X-Consul-Index}; {@code PUT /v1/snapshot} restores one,
 * after checking the whole of it, and answers 400 with nothing changed if it is truncated, corrupted or foreign. Both
 * need the management token under default-deny.
 */
final class SnapshotEndpoints {

    /** The largest snapshot a restore reads: far more than 100,000 instances take. */
    private static final long MAX_SNAPSHOT_BYTES = 1L << 30;

    private final DurableState state;
    private final Acl acl;
    private final CommittedStateReads committedReads;

    SnapshotEndpoints(DurableState state, Acl acl, CommittedStateReads committedReads) {
        this.state = state;
        this.acl = acl;
        this.committedReads = committedReads;
    }

    void save(Context ctx) {
        acl.requireManagement(ctx);
        Map<String, VersionedValue> committed = committedReads.read(ctx, state::committed);
        long index = committed.values().stream().mapToLong(VersionedValue::index).max().orElse(0);
        ctx.header("X-Consul-Index", Long.toString(index))
                .header("Content-Disposition", "attachment; filename=\"meridian-" + index + ".snap\"")
                .contentType("application/octet-stream")
                .result(SnapshotArchive.write(committed));
    }

    void restore(Context ctx) throws IOException {
        acl.requireManagement(ctx);
        Map<String, VersionedValue> restored = SnapshotArchive.read(ctx.bodyInputStream(), MAX_SNAPSHOT_BYTES);
        int changed;
        try {
            changed = state.replace(restored);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(e.getMessage());
        }
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("Index", restored.values().stream().mapToLong(VersionedValue::index).max().orElse(0));
        shape.put("ServicePartsChanged", changed);
        ctx.json(shape);
    }
}
