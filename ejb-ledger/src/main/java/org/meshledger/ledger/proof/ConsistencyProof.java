package org.meshledger.ledger.proof;

import java.util.List;

/** Proof that the ledger at {@code from} is a prefix of the ledger at {@code to} (RFC 6962). */
public record ConsistencyProof(String format, SignedDigest from, SignedDigest to, List<String> path) {

    public static final String FORMAT = "meshledger-consistency-proof/1";
}
