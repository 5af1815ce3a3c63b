package io.meridian.http.wire;

/** A field of a request body is well-formed JSON but holds a value that breaks a rule (answered with 422). */
public final class InvalidFieldException extends RuntimeException {

    public InvalidFieldException(String message) {
        super(message);
    }
}
