package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.meridian.registry.CheckOutcome;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.TtlLease;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@link CheckRecords} in two AP maps: leases by {@link TtlLease#key} (by instance, so an id registered again starts
 * with none) and outcomes by {@code namespace/checkId}. Outcomes are read from the nearest copy, as the projection is.
 * The only code that names the two maps, besides the members' map configuration.
 */
final class GridCheckRecords implements CheckRecords {

    private final IMap<String, TtlLease> leases;
    private final IMap<String, CheckOutcome> outcomes;
    private final NearestCopy copies;
    private final Duration writeTimeout;
    private final String nodeName;

    GridCheckRecords(HazelcastInstance hazelcast, NearestCopy copies, Duration writeTimeout, String nodeName) {
        this.leases = hazelcast.getMap(GridNames.TTL_LEASES_MAP);
        this.outcomes = hazelcast.getMap(GridNames.CHECK_OUTCOMES_MAP);
        this.copies = copies;
        this.writeTimeout = writeTimeout;
        this.nodeName = nodeName;
    }

    /** Stores the renewal as the check's latest outcome too, so its note is shown at once. */
    @Override
    public void renew(String namespace, String instanceId, String checkId, TtlLease lease) {
        CheckOutcome outcome = new CheckOutcome(lease.status(), lease.output(), lease.renewedAtMillis(),
                lease.status() == HealthStatus.CRITICAL ? lease.renewedAtMillis() : 0, nodeName);
        try {
            CompletableFuture.allOf(
                    leases.setAsync(TtlLease.key(namespace, instanceId, checkId), lease).toCompletableFuture(),
                    outcomes.setAsync(namespace + '/' + checkId, outcome).toCompletableFuture())
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new RegistryUnavailableException("the lease of check " + checkId + " could not be stored within "
                    + writeTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while storing the lease of check " + checkId, e);
        }
    }

    @Override
    public Optional<TtlLease> lease(String namespace, String instanceId, String checkId) {
        return Optional.ofNullable(leases.get(TtlLease.key(namespace, instanceId, checkId)));
    }

    @Override
    public void record(String namespace, String checkId, CheckOutcome outcome) {
        outcomes.setAsync(namespace + '/' + checkId, outcome);
    }

    @Override
    public Map<String, CheckOutcome> outcomes(String namespace, Collection<String> checkIds) {
        if (checkIds.isEmpty()) {
            return Map.of();
        }
        Map<String, CheckOutcome> byCheck = new HashMap<>();
        copies.getAll(outcomes, checkIds.stream().map(id -> namespace + '/' + id).collect(Collectors.toSet()))
                .forEach((key, outcome) -> byCheck.put(key.substring(namespace.length() + 1), outcome));
        return byCheck;
    }

    /** Starts dropping the lease and the outcome of an instance's check that is gone. */
    List<CompletableFuture<?>> forget(String namespace, String instanceId, String checkId) {
        return List.of(leases.deleteAsync(TtlLease.key(namespace, instanceId, checkId)).toCompletableFuture(),
                outcomes.deleteAsync(namespace + '/' + checkId).toCompletableFuture());
    }
}
