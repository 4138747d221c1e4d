package org.meshledger.ledger.proof;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the ledger's one hash function. */
public final class Sha256 {

    public static final int LENGTH = 32;

    private Sha256() {
    }

    public static byte[] hash(byte[]... parts) {
        MessageDigest digest = newDigest();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
