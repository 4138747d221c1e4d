package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;

import org.meshledger.ledger.block.Outcomes;
import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.TransactionRequest;

/**
 * Submitting transactions: the submit step of the write path. The caller's principal, the submit
 * checks, a repeated idempotency key answered from the ledger, then ordering; the answer comes at
 * the commit level the caller asked for.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LedgerService {

    private static final long WAIT_SECONDS = 30;

    @EJB
    private LedgerEngine engine;

    @EJB
    private CurrentPrincipal currentPrincipal;

    @Resource
    private ManagedExecutorService executor;

    /**
     * Submits and waits for the outcome at the request's commit level (for callers inside the
     * node, such as connectors).
     */
    // Editors change records, party administrators share them; SubmitChecks holds each to its own.
    @RolesAllowed({Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
    public TransactionOutcome submit(TransactionRequest request) {
        try {
            return submitAsync(request).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Submits; the stage completes with the outcome at the request's commit level, on a managed
     * thread (never on the ordering thread, whose time belongs to the ledger). A request thread
     * need not wait for it: the REST API answers when it completes.
     *
     * @throws InvalidTransactionException at once, as does an access denial, for a request that cannot
     *         succeed; the stage fails with {@link LedgerUnavailableException} if the ledger cannot
     *         take or write the transaction
     */
    @RolesAllowed({Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
    public CompletionStage<TransactionOutcome> submitAsync(TransactionRequest request) {
        CompletableFuture<TransactionOutcome> outcome = engine.submitter().submit(currentPrincipal.get(), request);
        return outcome.orTimeout(WAIT_SECONDS, TimeUnit.SECONDS)
                .handleAsync((result, failure) -> {
                    if (failure == null) {
                        return result;
                    }
                    throw unavailable(failure instanceof CompletionException ? failure.getCause() : failure);
                }, executor);
    }

    private static LedgerUnavailableException unavailable(Throwable failure) {
        if (failure instanceof LedgerUnavailableException unavailable) {
            return unavailable;
        }
        if (failure instanceof TimeoutException) {
            return new LedgerUnavailableException("The ledger did not answer within " + WAIT_SECONDS
                    + " s; the transaction may still be committed: repeat it with the same idempotency key to learn "
                    + "its outcome");
        }
        return LedgerFailure.unexpected(failure);
    }

    /** A transaction of the caller's own party (other parties' transactions do not exist for it). */
    @RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
    public TransactionOutcome transaction(UUID txId) {
        MeshPrincipal principal = currentPrincipal.get();
        try {
            return engine.store().transaction(txId)
                    .filter(row -> row.party().equals(principal.party().value()))
                    .map(Outcomes::of)
                    .orElseThrow(() -> new NotFoundException("No transaction " + txId + " of party " + principal.party()));
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }
}
