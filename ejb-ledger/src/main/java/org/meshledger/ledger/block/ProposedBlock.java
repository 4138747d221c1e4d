package org.meshledger.ledger.block;

import java.time.Instant;
import java.util.List;

import org.meshledger.ledger.transaction.Submission;

/**
 * A block as ordering cuts it: the submissions in their final order, and the block's time. Together
 * with the ledger before it, this decides everything the block writes, on any node.
 */
public record ProposedBlock(Instant time, List<Submission> submissions) {

    public ProposedBlock {
        submissions = List.copyOf(submissions);
    }
}
