package org.meshledger.ledger.query;

import jakarta.ejb.ApplicationException;

/** Nothing there, or nothing this party may see there: the answer is the same (HTTP 404). */
@ApplicationException
public class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
