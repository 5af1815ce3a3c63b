package io.meridian.operator;

/** No server of the CP Subsystem has the id or address asked for. */
public final class UnknownPeerException extends RuntimeException {

    public UnknownPeerException(String idOrAddress) {
        super("no Raft peer has the id or address '" + idOrAddress + "'");
    }
}
