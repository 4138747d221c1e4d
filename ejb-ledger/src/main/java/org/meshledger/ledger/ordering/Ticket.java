package org.meshledger.ledger.ordering;

import java.util.concurrent.CompletableFuture;

import org.meshledger.ledger.transaction.TransactionOutcome;

/**
 * A submission's claim on its outcome: {@code accepted} completes when its place in the ledger is
 * fixed, {@code committed} when its block is written (or it was rejected).
 */
public record Ticket(CompletableFuture<TransactionOutcome> accepted, CompletableFuture<TransactionOutcome> committed) {

    public static Ticket pending() {
        return new Ticket(new CompletableFuture<>(), new CompletableFuture<>());
    }

    public Ticket asRepeat() {
        return new Ticket(accepted.thenApply(TransactionOutcome::asRepeat), committed.thenApply(TransactionOutcome::asRepeat));
    }
}
