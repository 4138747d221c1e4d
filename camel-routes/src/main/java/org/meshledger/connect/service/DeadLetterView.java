package org.meshledger.connect.service;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record a connector could not move, with why.
 *
 * @param direction inbound (from the system) or outbound (to it)
 * @param payload the system's record (inbound) or the ledger change (outbound), as it was
 * @param status open, replayed or discarded
 */
public record DeadLetterView(long id, String connector, String direction, String object, String externalId,
        String recordType, String recordId, JsonNode payload, String reasonCode, String reason, int attempts,
        String status, Instant createdAt, Instant updatedAt, String resolvedBy) {
}
