package org.meshledger.ledger.ordering;

import java.time.Duration;

/**
 * When ordering cuts a block: as soon as it holds {@code maxTransactions}, or {@code maxWait} after
 * its first transaction arrived. Bigger blocks mean fewer database round trips (group commit);
 * a short wait bounds the latency a lone transaction pays for it.
 *
 * @param queueCapacity how many submissions may wait before new ones are refused (back-pressure)
 */
public record BlockPolicy(int maxTransactions, Duration maxWait, int queueCapacity) {

    public static final BlockPolicy DEFAULT = new BlockPolicy(1000, Duration.ofMillis(5), 100_000);
}
