package org.meshledger.ledger.transaction;

import java.security.SecureRandom;
import java.util.UUID;

import org.meshledger.ledger.identity.MeshPrincipal;

/**
 * A transaction request that passed the submit checks, with the identity given to it and the
 * principal who sent it: the ordered input from which every node computes the same ledger.
 *
 * @param seed 32 random bytes from which the salts of the transaction's record versions and
 *        operations are derived; drawn at submission so that applying stays deterministic
 */
public record Submission(UUID txId, MeshPrincipal principal, TransactionRequest request, byte[] seed) {

    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int SEED_BYTES = 32;

    public Submission {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("A submission's seed is " + SEED_BYTES + " bytes");
        }
    }

    /** A submission with a fresh random seed. */
    public Submission(UUID txId, MeshPrincipal principal, TransactionRequest request) {
        this(txId, principal, request, newSeed());
    }

    private static byte[] newSeed() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return seed;
    }

    /** The key under which a repeat is recognised, or null. */
    public String idempotencyScope() {
        return request.idempotencyKey() == null ? null : scope(principal.party().value(), request.idempotencyKey());
    }

    /** Idempotency keys are per party. */
    public static String scope(String party, String idempotencyKey) {
        return party + "\u0000" + idempotencyKey;
    }
}
