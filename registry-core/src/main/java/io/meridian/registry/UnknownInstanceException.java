package io.meridian.registry;

/** No instance with the given id is registered in the namespace. */
public final class UnknownInstanceException extends RegistryException {

    public UnknownInstanceException(String namespace, String instanceId) {
        super("Unknown service ID '" + instanceId + "' in namespace '" + namespace
                + "': deregistration takes an instance ID, not a service name");
    }
}
