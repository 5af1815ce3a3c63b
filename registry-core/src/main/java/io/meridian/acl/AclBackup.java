package io.meridian.acl;

/**
 * The ACL policies and tokens (secrets as their hashes) as one node last read them, to be put back by
 * {@link HazelcastAclStore#restore} after the CP Subsystem was reset. Opaque but for its counts.
 */
public final class AclBackup {

    private final HazelcastAclStore.AclState state;

    AclBackup(HazelcastAclStore.AclState state) {
        this.state = state;
    }

    HazelcastAclStore.AclState state() {
        return state;
    }

    public int policies() {
        return state.policies().size();
    }

    public int tokens() {
        return state.tokens().size();
    }
}
