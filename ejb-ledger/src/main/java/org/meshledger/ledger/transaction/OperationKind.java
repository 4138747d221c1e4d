package org.meshledger.ledger.transaction;

import java.util.Arrays;
import java.util.Optional;

/** What an operation does to its record. */
public enum OperationKind {
    /** Creates a record that does not exist (or was deleted). */
    CREATE("create"),
    /** Changes an existing record with a JSON Merge Patch (RFC 7396). */
    UPDATE("update"),
    /** Creates the record or replaces its whole state. */
    PUT("put"),
    /** Deletes an existing record; its history stays. */
    DELETE("delete");

    private final String keyword;

    OperationKind(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<OperationKind> of(String keyword) {
        return Arrays.stream(values()).filter(k -> k.keyword.equals(keyword)).findFirst();
    }
}
