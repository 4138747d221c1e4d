package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.block.Outcomes;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.ordering.Ticket;
import org.meshledger.ledger.ordering.TransactionOrdering;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.transaction.FieldProblem;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.SubmitChecks;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.persistence.ledger.IdempotencyStore;
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
    private final IdempotencyStore idempotency;
    private final Clock clock;

    TransactionSubmitter(SubmitChecks checks, LedgerStore store, RecordReader reader, TransactionOrdering ordering,
            IdempotencyStore idempotency, Clock clock) {
        this.checks = checks;
        this.store = store;
        this.reader = reader;
        this.ordering = ordering;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /**
     * @return the outcome at the request's commit level
     * @throws org.meshledger.ledger.transaction.InvalidTransactionException at once, as does an
     *         access denial, for a request that cannot succeed
     */
    public CompletableFuture<TransactionOutcome> submit(MeshPrincipal principal, TransactionRequest request) {
        checks.check(principal, request);
        if (request.idempotencyKey() != null) {
            try {
                Optional<TransactionOutcome> earlier = earlierOutcome(principal, request);
                if (earlier.isPresent()) {
                    return CompletableFuture.completedFuture(earlier.get());
                }
            } catch (SQLException e) {
                throw LedgerFailure.of(e);
            }
        }
        try {
            // What the caller may not read, it may not change either (a repeat above answers as before).
            reader.checkChangesVisible(principal, request);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
        Ticket ticket = ordering.submit(new Submission(UUID.randomUUID(), principal, request));
        return ticket.committed();
    }

    /**
     * The outcome the ledger already has for the request's idempotency key, as a repeat; or, the
     * first time, nothing (and the request's digest is remembered). A key whose outcome came from
     * another request is refused, so that a client reusing a key by mistake never has its change
     * dropped silently.
     *
     * @throws InvalidTransactionException naming the key (HTTP 422)
     */
    private Optional<TransactionOutcome> earlierOutcome(MeshPrincipal principal, TransactionRequest request)
            throws SQLException {
        String party = principal.party().value();
        byte[] digest = digest(request);
        Optional<TransactionRow> earlier = store.transactionByIdempotencyKey(party, request.idempotencyKey());
        if (earlier.isEmpty()) {
            idempotency.remember(party, request.idempotencyKey(), digest, records(request), clock.instant());
            return Optional.empty();
        }
        Optional<byte[]> first = idempotency.digest(party, request.idempotencyKey());
        if (first.isPresent() && !Arrays.equals(first.get(), digest)) {
            throw new InvalidTransactionException("The idempotency key was used before with a different request",
                    List.of(new FieldProblem("/idempotencyKey", "idempotency", "idempotency key '"
                            + request.idempotencyKey() + "' was used by party " + party + " for another request, "
                            + "which the ledger has (transaction " + earlier.get().txId() + "); use a new key for a "
                            + "new request")));
        }
        return Optional.of(Outcomes.of(earlier.get()).asRepeat());
    }

    /** SHA-256 of what the request writes (its operations, source and valid time; not its commit level). */
    private static byte[] digest(TransactionRequest request) {
        ObjectNode what = Json.object();
        what.put("validFrom", request.validFrom() == null ? null : request.validFrom().toString());
        if (request.source() != null) {
            what.putObject("source").put("system", request.source().system())
                    .put("reference", request.source().reference());
        }
        ArrayNode operations = what.putArray("operations");
        request.operations().forEach(op -> operations.add(LedgerHashing.operation(op)));
        return LedgerHashing.hash(what);
    }

    private static Set<String> records(TransactionRequest request) {
        Set<String> records = new TreeSet<>();
        request.operations().forEach(op -> records.add(op.type() + "/" + op.id()));
        return records;
    }
}
