package org.meshledger.ledger.transaction;

/**
 * Why a transaction was rejected: a code for programs, a sentence for people, the operation (its
 * index in the transaction) it failed on, and for an access denial the rule that denied it.
 */
public record Rejection(RejectionCode code, String message, int operation, String rule) {

    public Rejection(RejectionCode code, String message, int operation) {
        this(code, message, operation, null);
    }
}
