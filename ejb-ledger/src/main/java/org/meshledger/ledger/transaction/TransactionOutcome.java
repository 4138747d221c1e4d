package org.meshledger.ledger.transaction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What became of a transaction.
 *
 * @param blockHeight the block it is (or will be) in
 * @param position its index in that block
 * @param hash its leaf hash in the block's Merkle tree (base64), once applied
 * @param recordedAt the block's time
 * @param versions the record versions it wrote (none if rejected)
 * @param rejection why it was rejected, or null
 * @param repeated whether this answers a repeat of an earlier submission with the same key
 */
public record TransactionOutcome(UUID txId, TransactionStatus status, long blockHeight, int position, String hash,
        Instant recordedAt, List<VersionRef> versions, Rejection rejection, boolean repeated) {

    public TransactionOutcome asRepeat() {
        return new TransactionOutcome(txId, status, blockHeight, position, hash, recordedAt, versions, rejection, true);
    }
}
