package io.meridian.registry;

/** A check id is already a check of another registered instance of the namespace: an id belongs to one instance. */
public final class CheckIdTakenException extends RegistryException {

    public CheckIdTakenException(String namespace, String checkId) {
        super("check ID '" + checkId + "' in namespace '" + namespace + "' belongs to another instance; choose"
                + " another ID");
    }
}
