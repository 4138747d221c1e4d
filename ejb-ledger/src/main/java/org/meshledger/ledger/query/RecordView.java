package org.meshledger.ledger.query;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record version as one party may see it: {@code state} holds only the fields it may read (and is
 * null for a deletion).
 */
public record RecordView(String type, String id, int version, JsonNode state, boolean deleted, String hash,
        String owner, long blockHeight, Instant recordedAt, Instant validFrom, Lineage lineage) {
}
