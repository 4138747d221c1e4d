package org.meshledger.persistence.connector;

/**
 * A record of a party's system and the ledger record it is.
 *
 * @param object the system's object (e.g. {@code Payment__c})
 * @param externalId the system's own id of the record
 * @param lastSequence the sequence of the last change taken from it, or null if the system has none
 * @param systemState the system's fields as last read or written (JSON), or null; a link written
 *        with some fields adds them to those it had
 */
public record RecordLink(String connectorId, String object, String externalId, String recordType, String recordId,
        Long lastSequence, String systemState) {
}
