package org.meshledger.ledger.transaction;

import java.time.Instant;
import java.util.List;

/**
 * What a principal asks the ledger to do, atomically.
 *
 * @param idempotencyKey the client's key: a repeat with the same key returns the first outcome, or null
 * @param validFrom when the change takes effect in business terms, or null for "when recorded"
 * @param source the source system's reference, or null
 */
public record TransactionRequest(String idempotencyKey, CommitLevel commitLevel, Instant validFrom,
        SourceReference source, List<Operation> operations) {

    public TransactionRequest {
        operations = List.copyOf(operations);
        commitLevel = commitLevel == null ? CommitLevel.COMMITTED : commitLevel;
    }
}
