package io.meridian.registry;

/** No prepared query has the id asked for. */
public final class UnknownPreparedQueryException extends RegistryException {

    public UnknownPreparedQueryException(String id) {
        super("no prepared query has the id " + id);
    }
}
