package org.meshledger.web.api;

import jakarta.ejb.EJBAccessException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A caller whose roles do not allow an operation gets 403. The container's own message names
 * internal classes, so the answer says it in the API's words.
 */
@Provider
public class AccessDeniedMapper implements ExceptionMapper<EJBAccessException> {

    static final String MESSAGE =
            "Your roles do not allow this request (roles are viewer, editor and party-admin, granted per party)";

    @Override
    public Response toResponse(EJBAccessException e) {
        return ApiError.response(Response.Status.FORBIDDEN, MESSAGE);
    }
}
