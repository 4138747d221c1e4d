package org.meshledger.persistence.ledger;

import java.util.List;

/**
 * Everything one block writes, in one database transaction: the block, its transactions, its record
 * versions (which also become the current state and the block's events in the outbox), and the
 * erasures its purges make in earlier versions.
 */
public record BlockWrite(BlockRow block, List<TransactionRow> transactions, List<RecordVersionRow> versions,
        List<PurgeWrite> purges) {

    public BlockWrite(BlockRow block, List<TransactionRow> transactions, List<RecordVersionRow> versions) {
        this(block, transactions, versions, List.of());
    }
}
