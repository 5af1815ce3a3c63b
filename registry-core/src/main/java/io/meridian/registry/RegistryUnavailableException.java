package io.meridian.registry;

/**
 * A write could not be committed: the CP Subsystem has no reachable majority, or did not answer in time. The write
 * was not acknowledged; it may or may not take effect later, so the caller should retry it (writes are idempotent).
 */
public final class RegistryUnavailableException extends RegistryException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
