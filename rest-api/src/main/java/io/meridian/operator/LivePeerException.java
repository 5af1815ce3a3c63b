package io.meridian.operator;

/** The server asked to be removed is a running member; removing it needs {@code force}. */
public final class LivePeerException extends RuntimeException {

    public LivePeerException(String address) {
        super("the Raft peer at " + address + " is a running member; stop it first, or add ?force to remove it anyway");
    }
}
