package org.meshledger.persistence.ledger;

import java.util.List;

/** Everything one block writes, in one database transaction. */
public record BlockWrite(BlockRow block, List<TransactionRow> transactions, List<RecordVersionRow> versions,
        List<OutboxRow> events) {
}
