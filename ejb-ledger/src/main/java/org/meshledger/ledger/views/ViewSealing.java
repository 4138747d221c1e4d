package org.meshledger.ledger.views;

import java.security.PublicKey;
import java.util.Optional;

/**
 * Seals a node's views to it, and opens those sealed to this node (HPKE, RFC 9180): whatever a
 * batch carries for a node is readable by that node alone. {@code info} binds the context (network,
 * batch, recipient), {@code aad} the public part the views belong to, so that a sealed view cannot be
 * moved to another batch or another node.
 */
public interface ViewSealing {

    byte[] seal(PublicKey recipient, byte[] info, byte[] aad, byte[] plaintext);

    /** The plaintext, or empty if it does not open with this node's key (tampered, or not for it). */
    Optional<byte[]> open(byte[] info, byte[] aad, byte[] sealed);
}
