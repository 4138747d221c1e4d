package org.meshledger.ledger.proof;

/**
 * The result of a full verification: how much was recomputed and, if something does not match,
 * the first thing that does not.
 *
 * @param purged how many of the versions had fields purged: verified through the salted hashes kept
 *        in their place, their values gone on purpose (not tampering)
 */
public record VerificationReport(boolean intact, long blocks, long transactions, long versions, long purged,
        Problem problem) {

    /**
     * What broke.
     *
     * @param kind {@code block}, {@code transaction}, {@code record-version} or {@code current-state}
     * @param blockHeight the block it was found in (0 for the current state)
     * @param subject the block height, transaction id or record version it is about
     */
    public record Problem(String kind, long blockHeight, String subject, String message) {
    }
}
