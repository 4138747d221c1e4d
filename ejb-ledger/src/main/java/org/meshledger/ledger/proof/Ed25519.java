package org.meshledger.ledger.proof;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 with the JDK alone, for the node and for the standalone verifier: verify a signature, read
 * a public key, and derive the public key of a private one (the JDK has no direct API for that, so
 * the key pair generator is given the private key's seed and derives the same pair).
 */
public final class Ed25519 {

    private Ed25519() {
    }

    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static PublicKey publicKey(String base64) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("Not a base64 Ed25519 public key", e);
        }
    }

    /** The public key that belongs to a private key (RFC 8032: derived from the private key's seed). */
    static PublicKey publicKeyOf(EdECPrivateKey privateKey) throws GeneralSecurityException {
        byte[] seed = privateKey.getBytes().orElseThrow(() -> new GeneralSecurityException("The private key hides its bytes"));
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(java.security.spec.NamedParameterSpec.ED25519, new FixedSeed(seed));
        PublicKey derived = generator.generateKeyPair().getPublic();
        Arrays.fill(seed, (byte) 0);
        return derived;
    }

    /** A "random" source that returns the given seed, so the generator re-derives the key pair. */
    private static final class FixedSeed extends java.security.SecureRandom {

        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
