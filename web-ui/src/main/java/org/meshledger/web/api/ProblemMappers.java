package org.meshledger.web.api;

import jakarta.ejb.EJBAccessException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.admission.AdmissionRefusedException;
import org.meshledger.ledger.identity.SessionEndedException;
import org.meshledger.ledger.identity.UnmappedCallerException;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.transaction.InvalidTransactionException;

/** The domain's refusals, as problem details. */
public final class ProblemMappers {

    static final String ROLES_MESSAGE =
            "Your roles do not allow this request (roles are viewer, editor and party-admin, granted per party)";

    private ProblemMappers() {
    }

    @Provider
    public static class InvalidTransaction implements ExceptionMapper<InvalidTransactionException> {
        @Override
        public Response toResponse(InvalidTransactionException e) {
            return Problem.unprocessable("invalid-transaction", e.getMessage()).withErrors(e.problems()).toResponse();
        }
    }

    @Provider
    public static class AccessDenied implements ExceptionMapper<AccessDeniedException> {
        @Override
        public Response toResponse(AccessDeniedException e) {
            return Problem.of(Response.Status.FORBIDDEN, "access-denied", e.getMessage()).withRule(e.rule()).toResponse();
        }
    }

    @Provider
    public static class NotFound implements ExceptionMapper<NotFoundException> {
        @Override
        public Response toResponse(NotFoundException e) {
            return Problem.of(Response.Status.NOT_FOUND, "not-found", e.getMessage()).toResponse();
        }
    }

    @Provider
    public static class InvalidQuery implements ExceptionMapper<InvalidQueryException> {
        @Override
        public Response toResponse(InvalidQueryException e) {
            return Problem.of(Response.Status.BAD_REQUEST, "invalid-query", e.getMessage()).withParameter(e.parameter())
                    .toResponse();
        }
    }

    /**
     * 503 with the exception's own message, which the ledger words without SQL or the database's
     * message (those are in the node's log; {@code LedgerFailure}).
     */
    @Provider
    public static class Unavailable implements ExceptionMapper<LedgerUnavailableException> {
        @Override
        public Response toResponse(LedgerUnavailableException e) {
            return Response.fromResponse(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "ledger-unavailable",
                    e.getMessage()).toResponse()).header("Retry-After", "1").build();
        }
    }

    /**
     * 429 for expensive work the node or the caller already runs as much of as allowed
     * ({@code meshledger.admission.*}), with {@code Retry-After} in seconds.
     */
    @Provider
    public static class AdmissionRefused implements ExceptionMapper<AdmissionRefusedException> {
        @Override
        public Response toResponse(AdmissionRefusedException e) {
            return Response.fromResponse(Problem.of(Response.Status.TOO_MANY_REQUESTS, "too-many-requests",
                    e.getMessage()).toResponse()).header("Retry-After", String.valueOf(e.retryAfterSeconds())).build();
        }
    }

    @Provider
    public static class ConnectorState implements ExceptionMapper<org.meshledger.connect.service.ConnectorStateException> {
        @Override
        public Response toResponse(org.meshledger.connect.service.ConnectorStateException e) {
            return Problem.of(Response.Status.CONFLICT, "connector-state", e.getMessage()).toResponse();
        }
    }

    @Provider
    public static class UnmappedCaller implements ExceptionMapper<UnmappedCallerException> {
        @Override
        public Response toResponse(UnmappedCallerException e) {
            if (e instanceof org.meshledger.ledger.identity.HostedElsewhereException elsewhere) {
                return Problem.of(Response.Status.FORBIDDEN, "hosted-elsewhere", e.getMessage())
                        .withHostedBy(elsewhere.host()).toResponse();
            }
            return Problem.of(Response.Status.FORBIDDEN, "no-party", e.getMessage()).toResponse();
        }
    }

    /** A token of an ended sign-in session is as good as none: 401, as the bearer scheme says. */
    @Provider
    public static class SessionEnded implements ExceptionMapper<SessionEndedException> {
        @Override
        public Response toResponse(SessionEndedException e) {
            return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, "session-ended", e.getMessage())
                    .toResponse()).header("WWW-Authenticate",
                            "Bearer error=\"invalid_token\", error_description=\"the sign-in session has ended\"")
                    .build();
        }
    }

    /** The container's own refusal names internal classes, so the answer says it in the API's words. */
    @Provider
    public static class RolesDenied implements ExceptionMapper<EJBAccessException> {
        @Override
        public Response toResponse(EJBAccessException e) {
            return Problem.of(Response.Status.FORBIDDEN, "roles", ROLES_MESSAGE).toResponse();
        }
    }
}
