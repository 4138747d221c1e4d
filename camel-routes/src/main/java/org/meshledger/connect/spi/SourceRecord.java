package org.meshledger.connect.spi;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change of a record in a party's system, in the system's own field names.
 *
 * @param object the system's object, e.g. {@code Payment__c} or a file layout's name
 * @param externalId the system's own id of the record (a Salesforce id, a Dataverse GUID, a file's key column)
 * @param fields the system's fields: all of them, or only those that changed if {@code partial}
 * @param partial whether {@code fields} holds only what changed (a change-data-capture update)
 * @param changeId identifies this change in the system (a replay id, a file name and line): the same
 *        change delivered again has the same id, and is committed once
 * @param sequence orders the changes of one record (a replay id, a row version), or null if the system
 *        has no such order; a change not newer than the last one taken is skipped
 * @param changedAt when it changed in the system (the ledger's valid time), or null for "now"
 */
public record SourceRecord(String object, String externalId, ChangeKind kind, ObjectNode fields, boolean partial,
        String changeId, Long sequence, Instant changedAt) {

    public SourceRecord {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(changeId, "changeId");
    }

    /** "Payment__c a0B5e000001", as errors name the record. */
    public String describe() {
        return object + " " + (externalId == null ? "(no id)" : externalId);
    }
}
