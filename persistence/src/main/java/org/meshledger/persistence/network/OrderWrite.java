package org.meshledger.persistence.network;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where a node is in its network's order log once a cut block is stored, written in the same
 * database transaction as the block (or alone, for a cut block that wrote no ledger block): the
 * cutter's state after it, the last record it consumed (offset and SHA-256 of its value, checked at
 * the next start), and the batches it took.
 */
public record OrderWrite(String clusterId, String topicId, long nextHeight, Instant lastBlockTime, long lastOffset,
        byte[] lastValueSha256, long cutHeight, List<TakenBatch> batches) {

    /** A batch a block took: its sender and id. */
    public record TakenBatch(String node, UUID batchId) {
    }

    public OrderWrite {
        lastValueSha256 = lastValueSha256.clone();
        batches = List.copyOf(batches);
    }
}
