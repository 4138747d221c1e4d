package org.meshledger.persistence.ledger;

import java.util.List;

/**
 * Everything one block writes, in one database transaction: the block, its transactions, its record
 * versions (which also become the current state and the block's events in the outbox), and the
 * erasures its purges make in earlier versions; in a network of nodes, also where the node then is in
 * the order log ({@code order}, else null).
 */
public record BlockWrite(BlockRow block, List<TransactionRow> transactions, List<RecordVersionRow> versions,
        List<PurgeWrite> purges, org.meshledger.persistence.network.OrderWrite order) {

    public BlockWrite(BlockRow block, List<TransactionRow> transactions, List<RecordVersionRow> versions,
            List<PurgeWrite> purges) {
        this(block, transactions, versions, purges, null);
    }

    public BlockWrite(BlockRow block, List<TransactionRow> transactions, List<RecordVersionRow> versions) {
        this(block, transactions, versions, List.of());
    }
}
