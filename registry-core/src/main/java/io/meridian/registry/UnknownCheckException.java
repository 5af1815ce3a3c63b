package io.meridian.registry;

/** No check with the given id is registered in the namespace, or it is not a TTL check. */
public final class UnknownCheckException extends RegistryException {

    public UnknownCheckException(String namespace, String checkId, String why) {
        super("Unknown check ID '" + checkId + "' in namespace '" + namespace + "': " + why);
    }
}
