package org.meshledger.ledger.transaction;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One operation of a transaction.
 *
 * @param expectedVersion the version the record must be at (0: it must not exist), or null for no check
 * @param body the new state (create, put), the merge patch (update), what to share or take back
 *        (grant, revoke: {@code {"read": [...], "write": [...], "fields": {...}}}), what to erase and why
 *        (purge: {@code {"fields": [...], "reason": "..."}}), or null (delete)
 */
public record Operation(OperationKind kind, String type, String id, Integer expectedVersion, JsonNode body) {
}
