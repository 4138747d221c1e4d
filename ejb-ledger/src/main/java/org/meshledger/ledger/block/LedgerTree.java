package org.meshledger.ledger.block;

import java.util.ArrayList;
import java.util.List;

import org.meshledger.ledger.proof.MerkleTree;

/**
 * The RFC 6962 tree over the ledger's block hashes, kept as its right edge only: the roots of its
 * perfect subtrees, largest first. Appending a block and computing the root take O(log n), so the
 * digest of every height is computed as blocks are added.
 */
public final class LedgerTree {

    private final List<byte[]> roots = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private long size;

    public void append(byte[] leafHash) {
        roots.add(leafHash);
        sizes.add(1L);
        size++;
        int last = roots.size() - 1;
        while (last > 0 && sizes.get(last).equals(sizes.get(last - 1))) {
            byte[] merged = MerkleTree.nodeHash(roots.get(last - 1), roots.get(last));
            long mergedSize = sizes.get(last) * 2;
            roots.remove(last);
            sizes.remove(last);
            roots.set(last - 1, merged);
            sizes.set(last - 1, mergedSize);
            last--;
        }
    }

    /** The tree head: the perfect subtrees joined from the right, as RFC 6962 splits a tree. */
    public byte[] root() {
        if (roots.isEmpty()) {
            return MerkleTree.root(List.of());
        }
        byte[] hash = roots.get(roots.size() - 1);
        for (int i = roots.size() - 2; i >= 0; i--) {
            hash = MerkleTree.nodeHash(roots.get(i), hash);
        }
        return hash;
    }

    public long size() {
        return size;
    }

    public LedgerTree copy() {
        LedgerTree copy = new LedgerTree();
        copy.roots.addAll(roots);
        copy.sizes.addAll(sizes);
        copy.size = size;
        return copy;
    }
}
