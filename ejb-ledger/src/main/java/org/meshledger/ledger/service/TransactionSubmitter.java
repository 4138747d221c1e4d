package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.meshledger.ledger.block.Outcomes;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.ordering.Ticket;
import org.meshledger.ledger.ordering.TransactionOrdering;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.transaction.CommitLevel;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.SubmitChecks;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The submit step for an authenticated principal, whatever the way in (REST, portal, the inbound
 * Kafka topic): the submit checks, a repeated idempotency key answered from the ledger, what the
 * principal may not read refused, then ordering.
 */
public final class TransactionSubmitter {

    private final SubmitChecks checks;
    private final LedgerStore store;
    private final RecordReader reader;
    private final TransactionOrdering ordering;

    TransactionSubmitter(SubmitChecks checks, LedgerStore store, RecordReader reader, TransactionOrdering ordering) {
        this.checks = checks;
        this.store = store;
        this.reader = reader;
        this.ordering = ordering;
    }

    /**
     * @return the outcome at the request's commit level
     * @throws org.meshledger.ledger.transaction.InvalidTransactionException at once, as does an
     *         access denial, for a request that cannot succeed
     */
    public CompletableFuture<TransactionOutcome> submit(MeshPrincipal principal, TransactionRequest request) {
        checks.check(principal, request);
        if (request.idempotencyKey() != null) {
            Optional<TransactionRow> earlier;
            try {
                earlier = store.transactionByIdempotencyKey(principal.party().value(), request.idempotencyKey());
            } catch (SQLException e) {
                throw LedgerFailure.of(e);
            }
            if (earlier.isPresent()) {
                return CompletableFuture.completedFuture(Outcomes.of(earlier.get()).asRepeat());
            }
        }
        try {
            // What the caller may not read, it may not change either (a repeat above answers as before).
            reader.checkChangesVisible(principal, request);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
        Ticket ticket = ordering.submit(new Submission(UUID.randomUUID(), principal, request));
        return request.commitLevel() == CommitLevel.ACCEPTED ? ticket.accepted() : ticket.committed();
    }
}
