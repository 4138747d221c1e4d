package org.meshledger.persistence.ledger;

/** A record's identity: its type and its key, e.g. {@code Loan/L-1001}. */
public record RecordKey(String type, String id) {

    @Override
    public String toString() {
        return type + "/" + id;
    }
}
