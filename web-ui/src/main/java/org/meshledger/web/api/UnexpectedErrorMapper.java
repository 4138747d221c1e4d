package org.meshledger.web.api;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Anything unexpected: the caller gets a 500 with an incident id, the server log gets the details
 * under the same id. No stack trace leaves the server.
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    @Override
    public Response toResponse(Exception e) {
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Incident " + incident + " while serving an API request", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal",
                "The server failed to answer; the operators can look up incident " + incident).toResponse();
    }
}
