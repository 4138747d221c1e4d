package org.meshledger.ledger.views;

import java.security.GeneralSecurityException;

/**
 * A sealed view that does not open: not in the sealed layout (truncated, garbage, another version or
 * suite), or not authentic for this recipient, context and public part (another node's view, a wrong
 * {@code info} or {@code aad}, a tampered byte). The message says which of the two, never carries key
 * material and never tells a wrong key from a tampered ciphertext (the cipher cannot, and should not).
 */
public final class ViewOpenException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    public ViewOpenException(String message) {
        super(message);
    }
}
