package org.meshledger.web.api;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Errors JAX-RS raises itself (unknown path, wrong method, unreadable body) as problem details. */
@Provider
public class WebApplicationErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        if (e.getResponse().getEntity() instanceof Problem) {
            return e.getResponse(); // already said as problem details (e.g. a body over the size limit)
        }
        if (e instanceof ForbiddenException) {
            // RESTEasy's @RolesAllowed check: say it as the EJB layer says it.
            return Problem.of(Response.Status.FORBIDDEN, "roles", ProblemMappers.ROLES_MESSAGE).toResponse();
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.BAD_REQUEST;
        }
        String kind = switch (status) {
            case NOT_FOUND -> "not-found";
            case METHOD_NOT_ALLOWED -> "method-not-allowed";
            case UNSUPPORTED_MEDIA_TYPE, NOT_ACCEPTABLE -> "media-type";
            default -> "bad-request";
        };
        String detail = status == Response.Status.BAD_REQUEST
                ? "The request could not be read: " + rootMessage(e) : e.getMessage();
        return Problem.of(status, kind, detail).toResponse();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // Parser messages end with the position in the source; keep the first line only.
        return message.lines().findFirst().orElse(message);
    }
}
