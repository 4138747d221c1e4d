package org.meshledger.connect.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A committed ledger change the party may read, mapped to its system's names, to write there.
 *
 * @param keyField the system field that identifies the record (the external id to upsert by)
 * @param key the ledger record's key, the value of {@code keyField}
 * @param externalId the system's own id of the record if a link is known (from an earlier write or
 *        read), else null
 * @param fields the system's fields to write (the key field included); empty for a deletion
 * @param recordType the ledger type
 * @param recordVersion the ledger version this reflects
 */
public record OutboundRecord(String object, String keyField, String key, String externalId, ChangeKind kind,
        ObjectNode fields, String recordType, int recordVersion, long blockHeight) {

    /** "Payment PAY-1 v3 to Payment__c", as errors name the record. */
    public String describe() {
        return recordType + " " + key + " v" + recordVersion + " to " + object;
    }
}
