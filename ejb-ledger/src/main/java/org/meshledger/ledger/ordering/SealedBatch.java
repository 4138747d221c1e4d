package org.meshledger.ledger.ordering;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.meshledger.ledger.block.NetworkBlockApplier.OrderedTransaction;

/**
 * A submission batch as a node reads it from the order topic: who sent it, until when it may be
 * ordered, and its transactions with the views sealed to this node, opened.
 *
 * @param deadline the latest log time at which the batch may be ordered: a batch the log appends
 *        later is ignored by every node, so that a submitter whose publish was not confirmed knows
 *        for certain, once the log has passed that time, that its transactions will never apply
 */
public record SealedBatch(String node, UUID batchId, Instant deadline, List<OrderedTransaction> transactions) {

    public SealedBatch {
        transactions = List.copyOf(transactions);
    }
}
