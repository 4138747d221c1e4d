package org.meshledger.ledger.identity;

/** Who acts: a person signed in, or one of the party's systems with its client credentials. */
public enum PrincipalKind {
    USER,
    SYSTEM
}
