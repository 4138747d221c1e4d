package org.meshledger.ledger.transaction;

/** Where a transaction stands. */
public enum TransactionStatus {
    ACCEPTED, COMMITTED, REJECTED
}
