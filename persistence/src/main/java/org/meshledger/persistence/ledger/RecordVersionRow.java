package org.meshledger.persistence.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code record_version} (or {@code record_current}); {@code state} is null for a deletion;
 * {@code salt} is the version's salt, from which each field's hash is salted; {@code access} what
 * its owner shared of the record (JSON), or null; {@code purged} the salted hashes of the fields
 * purged from it (JSON, field to base64), or null. On a node of a network of nodes that may not read
 * every field of it: {@code withheld} the salted hashes of the fields it holds no value of (JSON,
 * field to base64), and {@code fieldSalts} the salts of those it holds (JSON, field to base64) in
 * place of the version's {@code salt}, which is then null.
 */
public record RecordVersionRow(String type, String id, int version, String operation, String state,
        String ownerParty, byte[] hash, UUID txId, long blockHeight, Instant recordedAt, Instant validFrom,
        byte[] salt, String access, String purged, String fieldSalts, String withheld) {

    /** A version as written by a node that holds every value of it. */
    public RecordVersionRow(String type, String id, int version, String operation, String state, String ownerParty,
            byte[] hash, UUID txId, long blockHeight, Instant recordedAt, Instant validFrom, byte[] salt, String access,
            String purged) {
        this(type, id, version, operation, state, ownerParty, hash, txId, blockHeight, recordedAt, validFrom, salt,
                access, purged, null, null);
    }

    /** A version as written: nothing purged from it yet. */
    public RecordVersionRow(String type, String id, int version, String operation, String state, String ownerParty,
            byte[] hash, UUID txId, long blockHeight, Instant recordedAt, Instant validFrom, byte[] salt, String access) {
        this(type, id, version, operation, state, ownerParty, hash, txId, blockHeight, recordedAt, validFrom, salt,
                access, null);
    }

    public RecordKey key() {
        return new RecordKey(type, id);
    }

    public boolean deleted() {
        return state == null;
    }
}
