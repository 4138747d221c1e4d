package org.meshledger.ledger.block;

import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.transaction.Rejection;
import org.meshledger.ledger.transaction.RejectionCode;

/** Ends the evaluation of a transaction that cannot be applied; it is recorded as rejected. */
public final class RejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Rejection rejection;

    RejectedException(RejectionCode code, String message, int operation) {
        super(message, null, false, false);
        this.rejection = new Rejection(code, message, operation);
    }

    /** An access denial, with the rule that denied it. */
    RejectedException(AccessDeniedException denied, int operation) {
        super(denied.getMessage(), null, false, false);
        this.rejection = new Rejection(RejectionCode.ACCESS_DENIED, denied.getMessage(), operation, denied.rule());
    }

    public Rejection rejection() {
        return rejection;
    }
}
