package org.meshledger.web.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.meshledger.ledger.identity.UnmappedCallerException;

/** An authenticated caller that is no principal of a party gets 403 with the reason. */
@Provider
public class UnmappedCallerMapper implements ExceptionMapper<UnmappedCallerException> {

    @Override
    public Response toResponse(UnmappedCallerException e) {
        return ApiError.response(Response.Status.FORBIDDEN, e.getMessage());
    }
}
