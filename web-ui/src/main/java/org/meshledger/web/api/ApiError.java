package org.meshledger.web.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The body of every error answer of the API: the HTTP status, a short code and a sentence for the
 * person reading it. Never a stack trace.
 */
public record ApiError(int status, String error, String message) {

    public static Response response(Response.Status status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status.getStatusCode(), status.getReasonPhrase(), message))
                .build();
    }
}
