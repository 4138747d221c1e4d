package org.meshledger.connect.mapping;

/**
 * A record could not be mapped: the message names the record and the field, e.g.
 * {@code Payment__c a0B5e000001 field Due_Date__c: '13/45/2026' is not a date in the format MM/dd/yyyy}.
 */
public class MappingException extends RuntimeException {

    private final String record;
    private final String field;

    public MappingException(String record, String field, String problem) {
        super(record + (field == null ? "" : " field " + field) + ": " + problem);
        this.record = record;
        this.field = field;
    }

    /** The record, as the system or the ledger names it. */
    public String record() {
        return record;
    }

    /** The field, or null when the problem is the record's. */
    public String field() {
        return field;
    }
}
