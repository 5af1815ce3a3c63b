package io.meridian.http.wire;

/** A request body lacks a field it must have (answered with 400). */
public final class MissingFieldException extends RuntimeException {

    public MissingFieldException(String message) {
        super(message);
    }
}
