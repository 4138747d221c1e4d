package org.meshledger.ledger.events;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudevents.CloudEvent;

import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.service.LedgerFailure;
import org.meshledger.ledger.service.TransactionSubmitter;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionRequests;
import org.meshledger.ledger.transaction.TransactionStatus;

/**
 * Transactions that a party's systems produce to its inbound topic: a CloudEvent of type
 * {@value #TRANSACTION_TYPE} whose data is the same JSON as a {@code POST /api/transactions} body.
 * It is submitted as the party's system {@value #PRINCIPAL} (an editor: it changes records, it does
 * not share them) through the same checks as every other way in. Its idempotency key, unless the
 * body names one, is {@link #idempotencyKey(CloudEvent) the event's source and id} (what identifies a
 * CloudEvent), so a message delivered twice is committed once, while two systems that number their
 * events alike do not collide; like every idempotency key it is the party's own (the ledger keeps
 * them per party), and the topic decides the party, so two parties' events never collide either.
 */
public final class InboundSubmissions {

    public static final String TRANSACTION_TYPE = "org.meshledger.transaction";
    public static final String PRINCIPAL = "kafka-inbound";
    private static final long WAIT_SECONDS = 30;

    private final TransactionSubmitter submitter;

    public InboundSubmissions(TransactionSubmitter submitter) {
        this.submitter = submitter;
    }

    /**
     * Submits the message's transaction and waits for its commit.
     *
     * @return why it was not committed, or empty when it was (or had been before)
     * @throws LedgerUnavailableException when the ledger cannot take it now: the message is read
     *         again later
     */
    public Optional<InboundRejection> submit(PartyId party, String topic, CloudEvent event) {
        if (!TRANSACTION_TYPE.equals(event.getType())) {
            return rejected("wrong-type", "the event type is '" + event.getType() + "'; an inbound transaction has "
                    + "type " + TRANSACTION_TYPE);
        }
        JsonNode body;
        try {
            body = event.getData() == null ? null
                    : Json.parse(new String(event.getData().toBytes(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return rejected("invalid-json", "the data is not JSON: " + e.getMessage());
        }
        if (body instanceof ObjectNode object && !object.hasNonNull("idempotencyKey")) {
            object.put("idempotencyKey", idempotencyKey(event));
        }
        MeshPrincipal principal = new MeshPrincipal(party, PrincipalKind.SYSTEM, PRINCIPAL, "kafka:" + topic,
                Set.of(Role.EDITOR));
        try {
            TransactionRequest request = TransactionRequests.parse(body);
            TransactionOutcome outcome = submitter.submit(principal, request).get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (outcome.status() == TransactionStatus.REJECTED) {
                return rejected("rejected", "the ledger rejected transaction " + outcome.txId() + " ("
                        + outcome.rejection().code() + "): " + outcome.rejection().message());
            }
            return Optional.empty();
        } catch (InvalidTransactionException e) {
            return rejected("invalid-transaction", e.getMessage() + e.problems().stream()
                    .map(p -> p.pointer() + ": " + p.message()).collect(Collectors.joining("; ", " (", ")")));
        } catch (AccessDeniedException e) {
            return rejected("access-denied", e.getMessage());
        } catch (NotFoundException e) {
            return rejected("not-found", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for the ledger");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LedgerUnavailableException unavailable ? unavailable
                    : LedgerFailure.unexpected(e.getCause());
        } catch (TimeoutException e) {
            throw new LedgerUnavailableException("The ledger did not answer within " + WAIT_SECONDS + " s");
        }
    }

    /**
     * The idempotency key of an inbound event whose body names none: {@code "<source> <id>"}
     * ({@code "/crm/servicer crm-7731"}). A source is a URI reference, without spaces, so no two
     * pairs make the same key.
     */
    public static String idempotencyKey(CloudEvent event) {
        return event.getSource() + " " + event.getId();
    }

    private static Optional<InboundRejection> rejected(String code, String reason) {
        return Optional.of(new InboundRejection(code, reason));
    }
}
