package org.meshledger.ledger.block;

import java.sql.SQLException;
import java.time.Instant;

import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.LedgerStore;

/**
 * The end of the chain as this node has committed it: the height, the last block's hash and time,
 * and the ledger tree. Only the block applier's thread changes it, after a block is committed.
 */
public final class ChainState {

    private long height;
    private byte[] lastHash;
    private Instant lastTime;
    private LedgerTree tree;

    private ChainState(long height, byte[] lastHash, Instant lastTime, LedgerTree tree) {
        this.height = height;
        this.lastHash = lastHash;
        this.lastTime = lastTime;
        this.tree = tree;
    }

    public static ChainState load(LedgerStore store) throws SQLException {
        LedgerTree tree = new LedgerTree();
        for (byte[] hash : store.blockHashes(Long.MAX_VALUE)) {
            tree.append(hash);
        }
        BlockRow last = store.lastBlock().orElse(null);
        if (last == null) {
            return new ChainState(0, LedgerHashing.genesisHash(), Instant.EPOCH, tree);
        }
        if (tree.size() != last.height()) {
            throw new IllegalStateException("The ledger has " + tree.size() + " blocks but its last is at height "
                    + last.height() + ": blocks are missing; run a full verification");
        }
        return new ChainState(last.height(), last.hash(), last.blockTime(), tree);
    }

    public synchronized long height() {
        return height;
    }

    public synchronized byte[] lastHash() {
        return lastHash.clone();
    }

    public synchronized Instant lastTime() {
        return lastTime;
    }

    /** The ledger tree as it would be with one more block, without changing this state. */
    synchronized LedgerTree treeWith(byte[] blockHash) {
        LedgerTree next = tree.copy();
        next.append(blockHash);
        return next;
    }

    synchronized void advance(long newHeight, byte[] blockHash, Instant time, LedgerTree newTree) {
        if (newHeight != height + 1) {
            throw new IllegalStateException("Block " + newHeight + " does not follow " + height);
        }
        height = newHeight;
        lastHash = blockHash.clone();
        lastTime = time;
        tree = newTree;
    }
}
