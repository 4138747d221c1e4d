package org.meshledger.ledger.ordering;

import jakarta.ejb.ApplicationException;

/**
 * The ledger could not take or apply a transaction now; the submitter may retry with the same key.
 * Its message is the API's answer (a 503): it says what the caller can do and never carries SQL or
 * the database's own message, which the thrower logs instead (see {@code LedgerFailure}).
 */
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
