package org.meshledger.ledger.transaction;

/** A record version a transaction wrote, and its hash (base64). */
public record VersionRef(String type, String id, int version, String hash) {
}
