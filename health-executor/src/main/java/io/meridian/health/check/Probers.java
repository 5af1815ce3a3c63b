package io.meridian.health.check;

import io.meridian.registry.CheckKind;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The prober for each kind of check that Meridian probes itself; a new kind is a new {@link Prober}, added here.
 * {@link #close()} releases what probers hold (gRPC channels).
 */
public final class Probers implements AutoCloseable {

    private final Map<CheckKind, Prober> byKind = new EnumMap<>(CheckKind.class);

    /** The HTTP, TCP and gRPC probers. */
    public static Probers standard() {
        Probers probers = new Probers();
        probers.byKind.put(CheckKind.HTTP, new HttpProber());
        probers.byKind.put(CheckKind.TCP, new TcpProber());
        probers.byKind.put(CheckKind.GRPC, new GrpcProber());
        return probers;
    }

    /** Probers for the given kinds only: for tests that need a prober of their own. */
    public static Probers of(Map<CheckKind, Prober> probers) {
        Probers chosen = new Probers();
        chosen.byKind.putAll(probers);
        return chosen;
    }

    /** The prober for a kind, or empty for kinds not probed (TTL) or not supported yet. */
    public Optional<Prober> forKind(CheckKind kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    @Override
    public void close() {
        byKind.values().forEach(Prober::close);
    }
}
