package org.meshledger.ledger.transaction;

/**
 * Why a transaction was rejected: a code for programs, a sentence for people, the operation (its
 * index in the transaction) it failed on (-1 when it is no one operation's doing, as for
 * {@link RejectionCode#STORAGE_REFUSED}), and for an access denial the rule that denied it.
 */
public record Rejection(RejectionCode code, String message, int operation, String rule) {

    public Rejection(RejectionCode code, String message, int operation) {
        this(code, message, operation, null);
    }
}
