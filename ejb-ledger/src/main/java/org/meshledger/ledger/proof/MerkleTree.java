package org.meshledger.ledger.proof;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merkle trees as RFC 6962 (and its successor RFC 9162, section 2.1) defines them: a leaf is hashed
 * as {@code SHA-256(0x00 || data)}, an interior node as {@code SHA-256(0x01 || left || right)}, and a
 * tree of n leaves splits at the largest power of two below n. Anyone can check the proofs made here
 * with any RFC 6962 implementation; this class uses nothing but the JDK so that the standalone
 * verifier can use it too.
 */
public final class MerkleTree {

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleTree() {
    }

    public static byte[] leafHash(byte[] data) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(LEAF_PREFIX);
        digest.update(data);
        return digest.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(NODE_PREFIX);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** The tree head of the given leaf hashes; the hash of the empty string for no leaves. */
    public static byte[] root(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return Sha256.hash();
        }
        return subtreeRoot(leafHashes, 0, leafHashes.size());
    }

    private static byte[] subtreeRoot(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
    }

    /** The audit path of leaf {@code index} in the tree of the given leaves (RFC 6962, 2.1.1). */
    public static List<byte[]> inclusionProof(List<byte[]> leafHashes, int index) {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException("Leaf " + index + " is not in a tree of " + leafHashes.size());
        }
        List<byte[]> path = new ArrayList<>();
        inclusionPath(leafHashes, index, 0, leafHashes.size(), path);
        return path;
    }

    private static void inclusionPath(List<byte[]> leaves, int index, int from, int to, List<byte[]> path) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (index < k) {
            inclusionPath(leaves, index, from, from + k, path);
            path.add(subtreeRoot(leaves, from + k, to));
        } else {
            inclusionPath(leaves, index - k, from + k, to, path);
            path.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /**
     * The proof that the tree of the first {@code oldSize} leaves is a prefix of the tree of all the
     * given leaves (RFC 6962, 2.1.2).
     */
    public static List<byte[]> consistencyProof(List<byte[]> leafHashes, int oldSize) {
        int newSize = leafHashes.size();
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("No consistency proof from " + oldSize + " to " + newSize);
        }
        List<byte[]> proof = new ArrayList<>();
        if (oldSize == 0 || oldSize == newSize) {
            return proof;
        }
        subproof(leafHashes, oldSize, 0, newSize, true, proof);
        return proof;
    }

    private static void subproof(List<byte[]> leaves, int m, int from, int to, boolean complete, List<byte[]> proof) {
        int n = to - from;
        if (m == n) {
            if (!complete) {
                proof.add(subtreeRoot(leaves, from, to));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(leaves, m, from, from + k, complete, proof);
            proof.add(subtreeRoot(leaves, from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, proof);
            proof.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /**
     * Whether {@code path} proves that {@code leafHash} is leaf {@code index} of the tree of
     * {@code treeSize} leaves with head {@code root} (RFC 9162, 2.1.3.2). A path of the wrong length
     * is refused, not just one that hashes wrong.
     */
    public static boolean verifyInclusion(long index, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= treeSize || leafHash == null || leafHash.length != Sha256.LENGTH) {
            return false;
        }
        int inner = innerProofSize(index, treeSize);
        int border = Long.bitCount(index >>> inner);
        if (path.size() != inner + border) {
            return false;
        }
        byte[] hash = chainInner(leafHash, path.subList(0, inner), index);
        hash = chainBorderRight(hash, path.subList(inner, path.size()));
        return Arrays.equals(hash, root);
    }

    /**
     * Whether {@code proof} shows that the tree of {@code oldSize} leaves with head {@code oldRoot} is
     * a prefix of the tree of {@code newSize} leaves with head {@code newRoot} (RFC 9162, 2.1.4.2).
     */
    public static boolean verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
            List<byte[]> proof) {
        if (oldSize < 0 || newSize < oldSize) {
            return false;
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && Arrays.equals(oldRoot, newRoot);
        }
        if (oldSize == 0) {
            // The empty tree is a prefix of every tree, if it is the empty tree's head it claims.
            return proof.isEmpty() && Arrays.equals(oldRoot, root(List.of()));
        }
        if (proof.isEmpty()) {
            return false;
        }
        int inner = innerProofSize(oldSize - 1, newSize);
        int border = Long.bitCount((oldSize - 1) >>> inner);
        int shift = Long.numberOfTrailingZeros(oldSize);
        inner -= shift;
        // The proof starts with the root of the subtree of 2^shift leaves that ends the old tree,
        // unless the old tree is that very subtree: then its root is the seed.
        boolean oldTreeIsPerfect = oldSize == 1L << shift;
        byte[] seed = oldTreeIsPerfect ? oldRoot : proof.get(0);
        int start = oldTreeIsPerfect ? 0 : 1;
        if (proof.size() != start + inner + border) {
            return false;
        }
        List<byte[]> rest = proof.subList(start, proof.size());
        long mask = (oldSize - 1) >>> shift;
        byte[] oldHash = chainBorderRight(chainInnerRight(seed, rest.subList(0, inner), mask),
                rest.subList(inner, rest.size()));
        if (!Arrays.equals(oldHash, oldRoot)) {
            return false;
        }
        byte[] newHash = chainBorderRight(chainInner(seed, rest.subList(0, inner), mask),
                rest.subList(inner, rest.size()));
        return Arrays.equals(newHash, newRoot);
    }

    /** How many path elements lie below the point where the leaf's and the last leaf's paths meet. */
    private static int innerProofSize(long index, long size) {
        return 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
    }

    private static byte[] chainInner(byte[] seed, List<byte[]> path, long index) {
        byte[] hash = seed;
        for (int i = 0; i < path.size(); i++) {
            hash = ((index >>> i) & 1) == 0 ? nodeHash(hash, path.get(i)) : nodeHash(path.get(i), hash);
        }
        return hash;
    }

    private static byte[] chainInnerRight(byte[] seed, List<byte[]> path, long index) {
        byte[] hash = seed;
        for (int i = 0; i < path.size(); i++) {
            if (((index >>> i) & 1) == 1) {
                hash = nodeHash(path.get(i), hash);
            }
        }
        return hash;
    }

    private static byte[] chainBorderRight(byte[] seed, List<byte[]> path) {
        byte[] hash = seed;
        for (byte[] sibling : path) {
            hash = nodeHash(sibling, hash);
        }
        return hash;
    }

    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
