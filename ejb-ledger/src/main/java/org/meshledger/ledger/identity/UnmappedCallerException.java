package org.meshledger.ledger.identity;

import jakarta.ejb.ApplicationException;

/**
 * An authenticated caller that is no principal of any party (or of more than one): MeshLedger
 * refuses it, whatever its roles.
 */
@ApplicationException
public class UnmappedCallerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnmappedCallerException(String message) {
        super(message);
    }
}
