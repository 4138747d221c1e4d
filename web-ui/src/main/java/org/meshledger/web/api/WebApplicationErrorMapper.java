package org.meshledger.web.api;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Errors JAX-RS raises itself (unknown path, wrong method, unacceptable media type) in the API's format. */
@Provider
public class WebApplicationErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        if (e instanceof ForbiddenException) {
            // RESTEasy's @RolesAllowed check: say it as the EJB layer says it.
            return ApiError.response(Response.Status.FORBIDDEN, AccessDeniedMapper.MESSAGE);
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.BAD_REQUEST;
        }
        return ApiError.response(status, e.getMessage());
    }
}
