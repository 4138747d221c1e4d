package org.meshledger.ledger.transaction;

/** Why a transaction was rejected when it was applied. */
public enum RejectionCode {
    /** An operation's expected version is not the record's version. */
    VERSION_CONFLICT,
    /** A create for a record that exists. */
    ALREADY_EXISTS,
    /** An update or delete of a record that does not exist. */
    NOT_FOUND,
    /** The resulting state does not fit its type. */
    SCHEMA_VIOLATION,
    /** The party may not make one of the changes. */
    ACCESS_DENIED,
    /** The operation cannot be carried out as given (e.g. it changes the record's key). */
    INVALID_OPERATION,
    /**
     * The node's database refused to store the transaction's values (a NUL character in a text, a
     * value too large for an index): it is recorded without them and wrote nothing.
     */
    STORAGE_REFUSED
}
