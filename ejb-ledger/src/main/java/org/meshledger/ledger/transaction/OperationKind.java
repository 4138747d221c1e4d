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
    DELETE("delete"),
    /** Shares an existing record, or fields of it, with more parties (its owner's party-admin). */
    GRANT("grant"),
    /** Takes back what a grant shared. */
    REVOKE("revoke"),
    /**
     * Erases named fields from every version of a record so far (its owner's party-admin, with a
     * reason); their salted hashes stay, so the ledger still verifies.
     */
    PURGE("purge");

    private final String keyword;

    OperationKind(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /** The request field that carries the operation's body ({@code data}, {@code patch}, ...), or null for a delete. */
    public String bodyField() {
        return switch (this) {
            case CREATE, PUT -> "data";
            case UPDATE -> "patch";
            case DELETE -> null;
            case GRANT, REVOKE -> "access";
            case PURGE -> "purge";
        };
    }

    /** Whether the operation may bring a record into being (create, put), rather than change one that is. */
    public boolean mayCreate() {
        return this == CREATE || this == PUT;
    }

    /** Whether the operation changes who may read or write the record, not its state. */
    public boolean changesAccess() {
        return this == GRANT || this == REVOKE;
    }

    /** Whether the operation is a party administrator's (sharing, purging), not an editor's. */
    public boolean byAdministrator() {
        return this == GRANT || this == REVOKE || this == PURGE;
    }

    public static Optional<OperationKind> of(String keyword) {
        return Arrays.stream(values()).filter(k -> k.keyword.equals(keyword)).findFirst();
    }
}
