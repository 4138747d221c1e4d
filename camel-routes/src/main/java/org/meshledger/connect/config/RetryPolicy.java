package org.meshledger.connect.config;

import java.time.Duration;

/**
 * How a connector retries what failed for a reason that may pass (the system or the ledger away, a
 * 5xx, a timeout, throttling): up to {@code maxAttempts} in all, the pause doubling from
 * {@code firstDelay} to at most {@code maxDelay}; then its records go to the dead-letter store.
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30));
}
