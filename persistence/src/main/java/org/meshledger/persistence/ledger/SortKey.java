package org.meshledger.persistence.ledger;

/**
 * One key of a list's order: a field of the record's state, compared as text or as a number.
 */
public record SortKey(String field, boolean descending, boolean numeric) {
}
