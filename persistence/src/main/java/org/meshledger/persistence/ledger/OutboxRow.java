package org.meshledger.persistence.ledger;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code outbox_event}: a committed change waiting to be published. */
public record OutboxRow(UUID eventId, long blockHeight, UUID txId, int sequence, String type, String id,
        int version, String eventType, String payload, Instant createdAt) {
}
