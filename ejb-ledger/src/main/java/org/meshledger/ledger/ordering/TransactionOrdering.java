package org.meshledger.ledger.ordering;

import org.meshledger.ledger.transaction.Submission;

/**
 * Puts submissions into one total order and cuts it into blocks. In a single node the node orders
 * ({@link InNodeOrdering}); in a network of nodes a shared log (Kafka) will, and every node will
 * apply the same sequence. Everything above this interface stays the same.
 */
public interface TransactionOrdering extends AutoCloseable {

    /**
     * @throws LedgerUnavailableException when the ledger cannot take more now (stopping, or full)
     */
    Ticket submit(Submission submission);

    /** Stops taking submissions and applies those already taken. */
    @Override
    void close();
}
