package org.meshledger.ledger.block;

import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;

/** A submission of a block and what became of it. */
public record AppliedTransaction(Submission submission, TransactionOutcome outcome) {
}
