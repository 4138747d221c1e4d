package org.meshledger.ledger.transaction;

/**
 * Where a transaction came from outside the ledger: a party's system and its own record reference
 * (e.g. a Salesforce record id), kept in the lineage of every version it wrote.
 */
public record SourceReference(String system, String reference) {
}
