package org.meshledger.persistence.ledger;

import java.time.Instant;

/** A row of {@code ledger_block}. JSON columns are carried as their text. */
public record BlockRow(long height, String header, byte[] previousHash, byte[] merkleRoot, int txCount,
        Instant blockTime, byte[] hash, byte[] ledgerRoot) {
}
