package org.meshledger.ledger.query;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version in a record's history and what changed from the one before, as a JSON Patch
 * (RFC 6902) between what the party may read of each.
 */
public record HistoryEntry(RecordView version, JsonNode changes) {
}
