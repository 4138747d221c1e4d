package org.meshledger.ledger.proof;

import java.util.List;
import java.util.Map;

/**
 * Proof that a record version is in the ledger a digest vouches for, checkable offline: the
 * disclosed fields are the ones the version's content hashes; the version's hash is listed in its
 * transaction's content; the transaction is leaf {@code index} of its block's Merkle tree; the block
 * is leaf {@code height - 1} of the ledger tree of the digest. Each content is given as the exact
 * canonical JSON that was hashed.
 *
 * @param disclosed for each field its reader may read, the canonical JSON of its salted commitment
 *        ({@code {"name", "salt", "value"}}); the other fields appear in the version's content as
 *        salted hashes only
 */
public record InclusionProof(String format, Part record, Map<String, String> disclosed, Part transaction, Part block,
        SignedDigest digest) {

    public static final String FORMAT = "meshledger-inclusion-proof/2";

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
