package org.meshledger.web.api;

import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.meshledger.ledger.identity.PartyHosting;
import org.meshledger.ledger.transaction.FieldProblem;
import org.meshledger.ledger.transaction.TransactionOutcome;

/**
 * An error answer of the API, as RFC 9457 problem details ({@code application/problem+json}): a
 * type URI per kind of problem, a title, the status and a sentence for the person reading it, plus
 * MeshLedger's members where they apply. Never a stack trace.
 *
 * @param errors what is wrong where in the request (422)
 * @param rule the access rule that decided (403)
 * @param parameter the query parameter to change (400)
 * @param transaction the recorded outcome of a transaction the ledger rejected (409, 422, 403)
 * @param hostedBy the node that hosts the caller's party, in a network of nodes (403)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldProblem> errors, String rule,
        String parameter, TransactionOutcome transaction, PartyHosting.Host hostedBy) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPES = "https://meshledger.org/problems/";

    public static Problem of(Response.Status status, String kind, String detail) {
        return new Problem(TYPES + kind, status.getReasonPhrase(), status.getStatusCode(), detail, null, null, null, null, null);
    }

    /** 422, which {@link Response.Status} does not name. */
    public static Problem unprocessable(String kind, String detail) {
        return new Problem(TYPES + kind, "Unprocessable Content", 422, detail, null, null, null, null, null);
    }

    public Problem withErrors(List<FieldProblem> list) {
        return new Problem(type, title, status, detail, list, rule, parameter, transaction, hostedBy);
    }

    public Problem withRule(String value) {
        return new Problem(type, title, status, detail, errors, value, parameter, transaction, hostedBy);
    }

    public Problem withParameter(String value) {
        return new Problem(type, title, status, detail, errors, rule, value, transaction, hostedBy);
    }

    public Problem withTransaction(TransactionOutcome value) {
        return new Problem(type, title, status, detail, errors, rule, parameter, value, hostedBy);
    }

    public Problem withHostedBy(PartyHosting.Host value) {
        return new Problem(type, title, status, detail, errors, rule, parameter, transaction, value);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
