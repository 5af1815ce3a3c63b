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

    /**
     * The refusal while a member's heap is nearly full, in the same words wherever it is refused.
     *
     * @param member which member: "node NAME" or "member ADDRESS"
     * @param why    how full its heap is, against the bound
     */
    public static RegistryFullException heapFull(String member, String why) {
        return new RegistryFullException(member + " takes no registrations (nor new ACL policies, tokens or prepared"
                + " queries) while its heap is nearly full (" + why + "), and every member holds a copy of each, so"
                + " neither does the cluster. Nothing was written."
                + " Deregister instances, or restart the members one at a time with more heap; lookups,"
                + " deregistrations and check updates go on");
    }
}
