package io.meridian.registry;

/** The base of every failure the registry reports; each subtype says what the caller can do about it. */
public abstract class RegistryException extends RuntimeException {

    protected RegistryException(String message) {
        super(message);
    }

    protected RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
