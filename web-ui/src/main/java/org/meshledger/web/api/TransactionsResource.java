package org.meshledger.web.api;

import java.net.URI;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.ejb.EJB;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.service.LedgerService;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequests;

/**
 * {@code /api/transactions}: submit a transaction, read one's outcome.
 *
 * <p>A committed transaction answers 201 with its outcome, an accepted one 202. One the ledger
 * rejected while applying it (it is recorded, with its reason) answers as a problem carrying the
 * outcome: 409 for a version conflict, an existing or a missing record, 422 for a schema violation
 * or values the node's database cannot store, 403 for an access rule. A repeat of an idempotency key
 * answers as the first time, with {@code Idempotent-Replayed: true}.
 */
@Path("transactions")
@Produces(MediaType.APPLICATION_JSON)
public class TransactionsResource {

    @EJB
    private LedgerService ledger;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> submit(String body, @Context UriInfo uri) {
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("the body is not JSON: " + e.getMessage());
        }
        // Resolved now: the answer is built on another thread, outside this request's context.
        URI transactions = uri.getBaseUriBuilder().path("transactions").build();
        // The request thread is free while the transaction waits for its block.
        return ledger.submitAsync(TransactionRequests.parse(json))
                .thenApply(outcome -> answer(outcome, transactions))
                .exceptionally(TransactionsResource::failure);
    }

    private static Response answer(TransactionOutcome outcome, URI transactions) {
        URI location = URI.create(transactions + "/" + outcome.txId());
        Response.ResponseBuilder response = switch (outcome.status()) {
            case COMMITTED -> Response.created(location).entity(outcome);
            case ACCEPTED -> Response.accepted(outcome).location(location);
            case REJECTED -> Response.fromResponse(rejected(outcome).toResponse());
        };
        if (outcome.repeated()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    private static Response failure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof LedgerUnavailableException unavailable) {
            return new ProblemMappers.Unavailable().toResponse(unavailable);
        }
        throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }

    @GET
    @Path("{txId}")
    public TransactionOutcome transaction(@PathParam("txId") String txId) {
        UUID id;
        try {
            id = UUID.fromString(txId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No transaction " + txId);
        }
        return ledger.transaction(id);
    }

    private static Problem rejected(TransactionOutcome outcome) {
        String detail = "The ledger rejected the transaction: " + outcome.rejection().message();
        Problem problem = switch (outcome.rejection().code()) {
            case SCHEMA_VIOLATION, INVALID_OPERATION, STORAGE_REFUSED -> Problem.unprocessable("rejected", detail);
            case ACCESS_DENIED -> Problem.of(Response.Status.FORBIDDEN, "rejected", detail)
                    .withRule(outcome.rejection().rule());
            case VERSION_CONFLICT, ALREADY_EXISTS, NOT_FOUND -> Problem.of(Response.Status.CONFLICT, "rejected", detail);
        };
        return problem.withTransaction(outcome);
    }
}
