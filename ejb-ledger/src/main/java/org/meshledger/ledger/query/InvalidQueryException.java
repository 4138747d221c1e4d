package org.meshledger.ledger.query;

import jakarta.ejb.ApplicationException;

/** A read the ledger cannot answer as asked (HTTP 400); the message says what to change. */
@ApplicationException
public class InvalidQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
