package org.meshledger.persistence.connector;

/**
 * A failure to record: an open letter with the same {@code dedupeKey} (the same change failing
 * again) counts another attempt instead of adding a letter.
 */
public record DeadLetterWrite(String connectorId, String direction, String dedupeKey, String object,
        String externalId, String recordType, String recordId, String payload, String reasonCode, String reason) {
}
