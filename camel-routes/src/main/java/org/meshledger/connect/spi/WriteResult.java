package org.meshledger.connect.spi;

/**
 * What the system answered for one record.
 *
 * @param externalId the system's own id of the record, if it said (linked for later changes)
 * @param errorCode the system's error code if it refused the record, else null
 * @param error why, else null
 */
public record WriteResult(OutboundRecord record, String externalId, String errorCode, String error) {

    public static WriteResult written(OutboundRecord record, String externalId) {
        return new WriteResult(record, externalId, null, null);
    }

    public static WriteResult refused(OutboundRecord record, String errorCode, String error) {
        return new WriteResult(record, null, errorCode, error);
    }

    public boolean ok() {
        return error == null;
    }
}
