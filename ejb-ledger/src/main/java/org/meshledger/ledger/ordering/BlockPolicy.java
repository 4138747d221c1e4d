package org.meshledger.ledger.ordering;

import java.time.Duration;

/**
 * When ordering cuts a block: at once if the writer is idle; otherwise, while the writer is busy
 * with the blocks before it, as soon as it holds {@code maxTransactions} or {@code maxWait} after its
 * first transaction arrived. Bigger blocks mean fewer database round trips (group commit); blocks
 * grow by themselves with the load, and a lone transaction never waits for company.
 *
 * @param queueCapacity how many submissions may wait before new ones are refused (back-pressure)
 */
public record BlockPolicy(int maxTransactions, Duration maxWait, int queueCapacity) {

    public static final BlockPolicy DEFAULT = new BlockPolicy(1000, Duration.ofMillis(5), 100_000);
}
