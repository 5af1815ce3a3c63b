package io.meridian.metrics;

import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.grid.WriteObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The registry's meters: how long writes take to commit through Raft ({@code meridian_cp_commit_seconds}) and to
 * move the projection forward ({@code meridian_projection_apply_seconds}), the projection writes anti-entropy had to
 * redo ({@code meridian_projection_repaired_parts_total}), and a census of one namespace: services
 * ({@code meridian_services}) and instances by health ({@code meridian_instances{state}}), counted at most every
 * {@link #CENSUS_EVERY} so that scrapes stay cheap. Thread-safe.
 */
public final class RegistryMeters implements WriteObserver {

    /** How long a census is reused. */
    public static final Duration CENSUS_EVERY = Duration.ofSeconds(5);

    private final Timer commits;
    private final Timer projections;
    private final Counter repairs;
    private final Registry registry;
    private final String namespace;
    private final Clock clock;
    private volatile Census census;

    public RegistryMeters(MeterRegistry meters, Registry registry, String namespace, Clock clock) {
        this.registry = registry;
        this.namespace = namespace;
        this.clock = clock;
        this.commits = Timer.builder("meridian.cp.commit").description("Raft commit of a registry write")
                .publishPercentileHistogram().register(meters);
        this.projections = Timer.builder("meridian.projection.apply")
                .description("moving the read projection forward after a committed write")
                .publishPercentileHistogram().register(meters);
        this.repairs = Counter.builder("meridian.projection.repaired.parts")
                .description("service parts anti-entropy re-applied: projection writes that had been lost")
                .register(meters);
        Gauge.builder("meridian.services", this, self -> self.census().services())
                .description("services with at least one instance").tag("namespace", namespace).register(meters);
        for (HealthStatus state : List.of(HealthStatus.PASSING, HealthStatus.WARNING, HealthStatus.CRITICAL)) {
            Gauge.builder("meridian.instances", this, self -> self.census().byState().getOrDefault(state, 0))
                    .description("instances by health").tag("namespace", namespace)
                    .tag("state", state.wireName()).register(meters);
        }
    }

    @Override
    public void committed(long nanos) {
        commits.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void projected(long nanos) {
        projections.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void repaired(int serviceParts) {
        repairs.increment(serviceParts);
    }

    private Census census() {
        Census last = census;
        long now = clock.millis();
        if (last != null && now - last.takenAtMillis() < CENSUS_EVERY.toMillis()) {
            return last;
        }
        Map<HealthStatus, Integer> byState = new EnumMap<>(HealthStatus.class);
        Set<String> services = new HashSet<>();
        for (InstanceEntry entry : registry.instances(namespace)) {
            services.add(entry.instance().service());
            byState.merge(entry.instance().health(), 1, Integer::sum);
        }
        Census fresh = new Census(now, services.size(), byState);
        census = fresh;
        return fresh;
    }

    private record Census(long takenAtMillis, int services, Map<HealthStatus, Integer> byState) {
    }
}
