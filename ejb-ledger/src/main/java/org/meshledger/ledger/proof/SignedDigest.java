package org.meshledger.ledger.proof;

/**
 * The ledger at a height, as the node vouches for it: the root of the tree over blocks 1..height,
 * the height's block time, and the node's Ed25519 signature over the canonical JSON of
 * {@code {"height", "network", "root", "time"}}. Parties keep each other's digests as witnesses:
 * a later digest must prove consistent with every earlier one.
 */
public record SignedDigest(String network, long height, String root, String time, String algorithm,
        String publicKey, String signature) {
}
