package org.meshledger.ledger.query;

import java.time.Instant;
import java.util.UUID;

import org.meshledger.ledger.transaction.SourceReference;

/**
 * Where a record version came from: the transaction and block that wrote it, the party and principal
 * behind it, the source system's record, and its two times.
 */
public record Lineage(UUID txId, long blockHeight, int position, String party, String principalKind,
        String principalName, SourceReference source, String operation, Instant recordedAt, Instant validFrom) {
}
