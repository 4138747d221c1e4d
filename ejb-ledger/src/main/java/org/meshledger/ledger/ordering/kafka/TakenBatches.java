package org.meshledger.ledger.ordering.kafka;

import java.util.UUID;

/**
 * The batches the node's stored blocks hold, by key: the ledger's memory of what the log delivered
 * before the block its {@link CutterState} follows. {@link BlockCutter} asks it whether a batch was
 * taken before, so that a batch read twice (however far apart) is taken once on every node, also
 * after a restart.
 *
 * <p>Its answers must match the stored {@link CutterState}: true for every batch of the blocks up to
 * the stored one (store the batch keys in the same database transaction as the block), false for
 * any batch of the log after it. The cutter remembers the batches of the blocks it cut itself until
 * told they are stored ({@link BlockCutter#stored(long)}). Called on the cutter's thread.
 */
@FunctionalInterface
public interface TakenBatches {

    boolean contains(String nodeId, UUID batchId);

    /** A ledger that holds no block from the log yet. */
    TakenBatches NONE = (nodeId, batchId) -> false;
}
