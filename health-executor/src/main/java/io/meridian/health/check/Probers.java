package io.meridian.health.check;

import io.meridian.registry.CheckKind;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The prober for each kind of check that Meridian probes itself; a new kind is a new {@link Prober}, added here. */
public final class Probers {

    private final Map<CheckKind, Prober> byKind = new EnumMap<>(CheckKind.class);

    /** The HTTP and TCP probers. */
    public static Probers standard() {
        Probers probers = new Probers();
        probers.byKind.put(CheckKind.HTTP, new HttpProber());
        probers.byKind.put(CheckKind.TCP, new TcpProber());
        return probers;
    }

    /** The prober for a kind, or empty for kinds not probed (TTL) or not supported yet. */
    public Optional<Prober> forKind(CheckKind kind) {
        return Optional.ofNullable(byKind.get(kind));
    }
}
