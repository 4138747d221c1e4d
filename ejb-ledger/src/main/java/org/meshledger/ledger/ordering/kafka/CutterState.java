package org.meshledger.ledger.ordering.kafka;

import java.time.Instant;
import java.util.Objects;

/**
 * What a node stores with its last block so that its {@link BlockCutter} can carry on exactly where
 * that block ended: the height of the next block, the last block's time and the offset of the last
 * record the last block consumed. A node that restarts reads the log again from
 * {@code lastOffset + 1}: batches that were pending (uncut) at the crash are read again and cut
 * as they were (or will be) by every other node.
 *
 * @param nextHeight the height the next block gets
 * @param lastBlockTime the last block's time (no block's time is earlier); {@link Instant#EPOCH} before the first
 * @param lastOffset the offset of the last record the last block consumed; -1 before the first block
 */
public record CutterState(long nextHeight, Instant lastBlockTime, long lastOffset) {

    public CutterState {
        Objects.requireNonNull(lastBlockTime, "lastBlockTime");
        if (nextHeight < 0 || lastOffset < -1) {
            throw new IllegalArgumentException("Not a cutter state: next height " + nextHeight + ", last offset "
                    + lastOffset);
        }
    }

    /** A ledger without a block from the log yet, whose first block from the log gets {@code firstHeight}. */
    public static CutterState initial(long firstHeight) {
        return new CutterState(firstHeight, Instant.EPOCH, -1);
    }

    /** Where the log is read from: the record after the last one a block consumed. */
    public long resumeOffset() {
        return lastOffset + 1;
    }
}
