package org.meshledger.ledger.transaction;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One operation of a transaction as every node of a network sees it: enough to apply it
 * deterministically (conflicts, write rules by type and field) and to hash the version it writes,
 * and no value. The values and their salts travel to the nodes entitled to them only, sealed.
 *
 * @param expectedVersion the version the client required (null: none)
 * @param baseVersion the version the submitting node computed the new state on (0: none): the
 *        operation conflicts if the record has moved on by the time it is applied
 * @param commitment the base64 hash of the salted commitment to the whole operation, as the
 *        transaction's hashed content holds it
 * @param written the fields whose value the operation changes (for the write rules of fields)
 * @param access what a grant shares or a revoke takes back (no value of the record), else null
 * @param purge what a purge erases and why ({@code {"fields": [...], "reason": "..."}}), else null
 * @param fieldHashes the new version's fields by their salted hashes (base64), or null for a deletion
 */
public record PublicOperation(OperationKind kind, String type, String id, Integer expectedVersion, int baseVersion,
        String commitment, SortedSet<String> written, JsonNode access, JsonNode purge,
        SortedMap<String, String> fieldHashes) {

    public PublicOperation {
        written = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(written));
        fieldHashes = fieldHashes == null ? null : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(fieldHashes));
    }

    public static PublicOperation of(OperationKind kind, String type, String id, Integer expectedVersion,
            int baseVersion, String commitment, List<String> written, JsonNode access, JsonNode purge,
            Map<String, String> fieldHashes) {
        return new PublicOperation(kind, type, id, expectedVersion, baseVersion, commitment, new TreeSet<>(written),
                access, purge, fieldHashes == null ? null : new TreeMap<>(fieldHashes));
    }

    /** Whether the version it writes is a deletion. */
    public boolean deletes() {
        return fieldHashes == null;
    }
}
