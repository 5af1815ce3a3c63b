package io.meridian.registry;

/**
 * The registry could not answer. For a write: it could not be committed (the CP Subsystem has no reachable majority,
 * or did not answer in time); it was not acknowledged and may or may not take effect later, so the caller should
 * retry it (writes are idempotent). For a read: it had to reach the cluster and could not, and had nothing to answer
 * from instead (an SDK client answers a service it has seen from its last view, and throws this only for one it has
 * never seen, nor has its snapshot; a {@code ?consistent} read throws it whenever the committed state cannot be read).
 */
public final class RegistryUnavailableException extends RegistryException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
