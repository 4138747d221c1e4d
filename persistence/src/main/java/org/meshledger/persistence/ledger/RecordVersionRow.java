package org.meshledger.persistence.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code record_version} (or {@code record_current}); {@code state} is null for a deletion;
 * {@code salt} is the version's salt, from which each field's hash is salted; {@code access} what
 * its owner shared of the record (JSON), or null.
 */
public record RecordVersionRow(String type, String id, int version, String operation, String state,
        String ownerParty, byte[] hash, UUID txId, long blockHeight, Instant recordedAt, Instant validFrom,
        byte[] salt, String access) {

    public RecordKey key() {
        return new RecordKey(type, id);
    }

    public boolean deleted() {
        return state == null;
    }
}
