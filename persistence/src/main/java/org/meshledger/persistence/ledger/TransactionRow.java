package org.meshledger.persistence.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code ledger_transaction}, committed or rejected. {@code content} is what was hashed;
 * {@code versions} lists the record versions it wrote (type, id, version, hash) as JSON.
 */
public record TransactionRow(UUID txId, long blockHeight, int position, String party, String principalKind,
        String principalName, String idempotencyKey, String status, String reasonCode, String reason,
        Instant recordedAt, Instant validFrom, String sourceSystem, String sourceReference, String content,
        byte[] hash, String versions) {
}
