package org.meshledger.ledger.ordering.kafka;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Signs bytes with the node's Ed25519 key: a 64-byte signature. The node passes
 * {@code NodeSigningKey::sign}, so this package does not depend on how keys are kept. Must be safe
 * to call from several threads (the publisher signs on its callers' threads).
 */
@FunctionalInterface
public interface Signer {

    byte[] sign(byte[] message);

    /** A signer over a private key (tests, tools): a new {@link Signature} per call. */
    static Signer ed25519(PrivateKey key) {
        return message -> {
            try {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initSign(key);
                signature.update(message);
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed", e);
            }
        };
    }
}
