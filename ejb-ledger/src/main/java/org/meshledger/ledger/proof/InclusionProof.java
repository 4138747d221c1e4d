package org.meshledger.ledger.proof;

import java.util.List;

/**
 * Proof that a record version is in the ledger a digest vouches for, checkable offline: the
 * version's content is in its transaction's content; the transaction is leaf {@code index} of its
 * block's Merkle tree; the block is leaf {@code height - 1} of the ledger tree of the digest. Each
 * content is given as the exact canonical JSON that was hashed.
 */
public record InclusionProof(String format, Part record, Part transaction, Part block, SignedDigest digest) {

    public static final String FORMAT = "meshledger-inclusion-proof/1";

    /**
     * One level of the proof.
     *
     * @param canonical the canonical JSON that was hashed
     * @param hash its leaf hash (base64)
     * @param index its leaf index in the tree above (unused for the record)
     * @param treeSize that tree's size
     * @param path the audit path to that tree's root (base64 hashes)
     */
    public record Part(String canonical, String hash, long index, long treeSize, List<String> path) {
    }
}
