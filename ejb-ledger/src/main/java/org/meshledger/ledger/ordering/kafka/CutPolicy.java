package org.meshledger.ledger.ordering.kafka;

/**
 * When {@link BlockCutter} cuts a block by size: once the pending block holds at least
 * {@code maxTransactions} transactions or {@code maxBytes} payload bytes (a batch is never split, so
 * a block may go beyond either by its last batch). Part of the network's configuration: every node
 * must cut with the same policy, and a change must take effect at a height all nodes agree on.
 */
public record CutPolicy(int maxTransactions, long maxBytes) {

    /** 1000 transactions (as in one node, {@code BlockPolicy.DEFAULT}) or 1 MiB of payload. */
    public static final CutPolicy DEFAULT = new CutPolicy(1000, 1 << 20);

    public CutPolicy {
        if (maxTransactions < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("A block is cut at a positive count and size, not " + maxTransactions
                    + " transactions / " + maxBytes + " bytes");
        }
    }
}
