package org.meshledger.connect.spi;

/** What happened to a record. */
public enum ChangeKind {
    /** Created or changed: the record's fields (all of them, or only the changed ones if partial). */
    UPSERT,
    /** Deleted. */
    DELETE
}
