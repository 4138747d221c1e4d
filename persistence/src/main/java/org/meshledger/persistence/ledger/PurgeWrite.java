package org.meshledger.persistence.ledger;

import java.util.Set;

/**
 * Erases fields from a record's versions up to {@code upToVersion}, in the block's database
 * transaction: each version loses the values and keeps what {@code hashes} gives for it (the salted
 * hashes of all its purged fields, as JSON), so that its hash can still be recomputed.
 */
public record PurgeWrite(RecordKey key, Set<String> fields, int upToVersion, PurgedHashes hashes) {

    public PurgeWrite {
        fields = Set.copyOf(fields);
    }

    /** The {@code purged} column of a version once these fields are erased from it. */
    @FunctionalInterface
    public interface PurgedHashes {
        String of(RecordVersionRow version, Set<String> fields);
    }
}
