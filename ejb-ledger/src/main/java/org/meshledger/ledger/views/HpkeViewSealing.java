package org.meshledger.ledger.views;

import java.security.PublicKey;
import java.util.Optional;


/** {@link ViewSealing} with HPKE ({@link ViewCipher}) and this node's X25519 key. Thread-safe. */
public final class HpkeViewSealing implements ViewSealing {

    private final NodeEncryptionKey key;

    public HpkeViewSealing(NodeEncryptionKey key) {
        this.key = key;
    }

    @Override
    public byte[] seal(PublicKey recipient, byte[] info, byte[] aad, byte[] plaintext) {
        return ViewCipher.seal(recipient, info, aad, plaintext);
    }

    @Override
    public Optional<byte[]> open(byte[] info, byte[] aad, byte[] sealed) {
        try {
            return Optional.of(ViewCipher.open(key, info, aad, sealed));
        } catch (ViewOpenException e) {
            return Optional.empty();
        }
    }
}
