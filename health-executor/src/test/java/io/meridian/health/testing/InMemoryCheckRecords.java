package io.meridian.health.testing;

import io.meridian.registry.CheckOutcome;
import io.meridian.registry.CheckRecords;
import io.meridian.registry.TtlLease;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link CheckRecords} in this JVM's memory, for tests of what reads and writes them. */
public final class InMemoryCheckRecords implements CheckRecords {

    private final Map<String, TtlLease> leases = new ConcurrentHashMap<>();
    private final Map<String, CheckOutcome> outcomes = new ConcurrentHashMap<>();

    @Override
    public void renew(String namespace, String instanceId, String checkId, TtlLease lease) {
        leases.put(TtlLease.key(namespace, instanceId, checkId), lease);
    }

    @Override
    public Optional<TtlLease> lease(String namespace, String instanceId, String checkId) {
        return Optional.ofNullable(leases.get(TtlLease.key(namespace, instanceId, checkId)));
    }

    @Override
    public void record(String namespace, String checkId, CheckOutcome outcome) {
        outcomes.put(namespace + '/' + checkId, outcome);
    }

    @Override
    public Map<String, CheckOutcome> outcomes(String namespace, Collection<String> checkIds) {
        Map<String, CheckOutcome> found = new HashMap<>();
        for (String checkId : checkIds) {
            CheckOutcome outcome = outcomes.get(namespace + '/' + checkId);
            if (outcome != null) {
                found.put(checkId, outcome);
            }
        }
        return found;
    }
}
