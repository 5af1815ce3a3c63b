package io.meridian.operator;

import io.meridian.acl.HazelcastAclStore;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.grid.HazelcastRegistry;

import java.util.HashMap;
import java.util.Map;

/** The {@link DurableState} of a Hazelcast cluster: its registry's service parts and its ACL store's state. */
public final class RegistryAndAclState implements DurableState {

    private final HazelcastRegistry registry;
    private final HazelcastAclStore acls;

    public RegistryAndAclState(HazelcastRegistry registry, HazelcastAclStore acls) {
        this.registry = registry;
        this.acls = acls;
    }

    @Override
    public Map<String, VersionedValue> committed() {
        Map<String, VersionedValue> state = new HashMap<>(registry.committedState());
        state.putAll(acls.committedState());
        return state;
    }

    @Override
    public int replace(Map<String, VersionedValue> state) {
        int changed = registry.replace(state);
        acls.replace(state);
        return changed;
    }
}
