package io.meridian.registry;

/**
 * Asked before each registration is committed whether there is room for it. Called on the writing thread: it must be
 * quick. Thread-safe.
 */
@FunctionalInterface
public interface RegistrationAdmission {

    /** Admits every registration. */
    RegistrationAdmission ALWAYS = () -> { };

    /** @throws RegistryFullException if there is no room for another registration */
    void requireRoom();
}
