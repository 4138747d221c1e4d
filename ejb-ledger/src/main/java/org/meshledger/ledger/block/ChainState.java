package org.meshledger.ledger.block;

import java.sql.SQLException;
import java.time.Instant;

import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.LedgerStore;

/**
 * The end of the chain as this node has committed it: the height, the last block's hash and time,
 * and the ledger tree. It moves only after a block is committed, so readers (digests, proofs) never
 * see a block that ordering has prepared but not yet written.
 */
public final class ChainState {

    private volatile ChainTip tip;

    private ChainState(ChainTip tip) {
        this.tip = tip;
    }

    public static ChainState load(LedgerStore store) throws SQLException {
        LedgerTree tree = new LedgerTree();
        for (byte[] hash : store.blockHashes(Long.MAX_VALUE)) {
            tree.append(hash);
        }
        BlockRow last = store.lastBlock().orElse(null);
        if (last == null) {
            return new ChainState(new ChainTip(0, LedgerHashing.genesisHash(), Instant.EPOCH, tree));
        }
        if (tree.size() != last.height()) {
            throw new IllegalStateException("The ledger has " + tree.size() + " blocks but its last is at height "
                    + last.height() + ": blocks are missing; run a full verification");
        }
        return new ChainState(new ChainTip(last.height(), last.hash(), last.blockTime(), tree));
    }

    public ChainTip tip() {
        return tip;
    }

    public long height() {
        return tip.height();
    }

    public byte[] lastHash() {
        return tip.lastHash().clone();
    }

    public Instant lastTime() {
        return tip.lastTime();
    }

    synchronized void advance(ChainTip committed) {
        if (committed.height() != tip.height() + 1) {
            throw new IllegalStateException("Block " + committed.height() + " does not follow " + tip.height());
        }
        tip = committed;
        notifyAll();
    }

    /**
     * Waits until a block above {@code height} is committed, or the timeout passes: how the event
     * relay learns of a new block at once, without polling the database.
     *
     * @return the height now
     */
    public synchronized long awaitAbove(long height, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while (tip.height() <= height && (left = deadline - System.nanoTime()) > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return tip.height();
    }
}
