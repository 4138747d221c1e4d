package org.meshledger.ledger.ordering;

import jakarta.ejb.ApplicationException;

/** The ledger could not take or apply a transaction now; the submitter may retry with the same key. */
@ApplicationException
public class LedgerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LedgerUnavailableException(String message) {
        super(message);
    }

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
