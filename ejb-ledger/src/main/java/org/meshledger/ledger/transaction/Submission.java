package org.meshledger.ledger.transaction;

import java.util.UUID;

import org.meshledger.ledger.identity.MeshPrincipal;

/**
 * A transaction request that passed the submit checks, with the identity given to it and the
 * principal who sent it: the ordered input from which every node computes the same ledger.
 */
public record Submission(UUID txId, MeshPrincipal principal, TransactionRequest request) {

    /** The key under which a repeat is recognised, or null. */
    public String idempotencyScope() {
        return request.idempotencyKey() == null ? null : scope(principal.party().value(), request.idempotencyKey());
    }

    /** Idempotency keys are per party. */
    public static String scope(String party, String idempotencyKey) {
        return party + "\u0000" + idempotencyKey;
    }
}
