package org.meshledger.ledger.service;

import java.time.Instant;

import org.meshledger.ledger.proof.VerificationReport;

/**
 * Where the node's full verification stands: never run (no {@code startedAt}), running (no report
 * yet) or done.
 *
 * @param blocksChecked blocks recomputed so far
 * @param blocksToCheck the height when it started
 * @param failure why it could not run to the end (the database failed), or null
 */
public record VerificationStatus(Instant startedAt, String startedBy, long blocksChecked, long blocksToCheck,
        Instant finishedAt, VerificationReport report, String failure) {

    public static final VerificationStatus NEVER = new VerificationStatus(null, null, 0, 0, null, null, null);

    public boolean running() {
        return startedAt != null && finishedAt == null;
    }

    /** Percent done, 0 to 100. */
    public int percent() {
        if (blocksToCheck == 0) {
            return finishedAt == null ? 0 : 100;
        }
        return (int) Math.min(100, blocksChecked * 100 / blocksToCheck);
    }
}
