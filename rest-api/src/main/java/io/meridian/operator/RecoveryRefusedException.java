package io.meridian.operator;

/** A recovery from a lost CP majority cannot start now; the message says why and what to do first. */
public final class RecoveryRefusedException extends RuntimeException {

    public RecoveryRefusedException(String reason) {
        super(reason);
    }
}
