package org.meshledger.ledger.transaction;

/**
 * Why a transaction was rejected: a code for programs, a sentence for people, and the operation
 * (its index in the transaction) it failed on.
 */
public record Rejection(RejectionCode code, String message, int operation) {
}
