package org.meshledger.persistence.ledger;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code record_version}; {@code state} is null for a deletion. */
public record RecordVersionRow(String type, String id, int version, String operation, String state,
        String ownerParty, byte[] hash, UUID txId, long blockHeight, Instant recordedAt, Instant validFrom) {

    public RecordKey key() {
        return new RecordKey(type, id);
    }

    public boolean deleted() {
        return state == null;
    }
}
