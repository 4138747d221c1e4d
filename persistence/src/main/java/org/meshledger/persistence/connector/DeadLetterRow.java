package org.meshledger.persistence.connector;

import java.time.Instant;

/**
 * A record a connector could not move.
 *
 * @param direction {@code inbound} (system to ledger) or {@code outbound} (ledger to system)
 * @param payload what failed, as JSON: the system's record, or the ledger's change
 * @param status {@code open}, {@code replayed} or {@code discarded}
 */
public record DeadLetterRow(long id, String connectorId, String direction, String object, String externalId,
        String recordType, String recordId, String payload, String reasonCode, String reason, int attempts,
        String status, Instant createdAt, Instant updatedAt, String resolvedBy) {

    public static final String OPEN = "open";
    public static final String REPLAYED = "replayed";
    public static final String DISCARDED = "discarded";
}
