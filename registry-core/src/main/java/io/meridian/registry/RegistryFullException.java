package io.meridian.registry;

/**
 * A registration refused because the registry has no room for it: the node's heap is nearly full. Nothing of it was
 * written. Lookups, deregistrations and check updates go on; registrations are taken again once deregistrations or a
 * larger heap (members restarted one at a time with more) have made room.
 */
public final class RegistryFullException extends RegistryException {

    public RegistryFullException(String message) {
        super(message);
    }
}
