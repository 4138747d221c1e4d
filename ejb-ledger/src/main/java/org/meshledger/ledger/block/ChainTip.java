package org.meshledger.ledger.block;

import java.time.Instant;

/**
 * The end of a chain at one height: what the next block builds on (its height follows, its
 * previous hash is this hash, its time is not before this time, its hash joins this tree). A value:
 * the tree is never changed once a tip holds it.
 */
public record ChainTip(long height, byte[] lastHash, Instant lastTime, LedgerTree tree) {

    /** The tip after one more block; this tip is unchanged. */
    ChainTip next(byte[] blockHash, Instant time) {
        LedgerTree grown = tree.copy();
        grown.append(blockHash);
        return new ChainTip(height + 1, blockHash, time, grown);
    }
}
