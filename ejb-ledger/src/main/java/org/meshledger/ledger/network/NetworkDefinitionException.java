package org.meshledger.ledger.network;

/** A network definition that cannot be used; the message says where and why. */
public class NetworkDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NetworkDefinitionException(String message) {
        super(message);
    }

    public NetworkDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
