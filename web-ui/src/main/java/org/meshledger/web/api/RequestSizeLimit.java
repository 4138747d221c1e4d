package org.meshledger.web.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.ejb.EJB;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.meshledger.ledger.service.NetworkRegistry;

/**
 * Bounds every request body of the API ({@code meshledger.limits.max-request-bytes}): a declared
 * length over the bound is refused before anything is read, and a body sent without one (chunked)
 * is cut off once it passes the bound. Either way the answer is 413 problem details.
 */
@Provider
@PreMatching
public class RequestSizeLimit implements ContainerRequestFilter {

    @EJB
    private NetworkRegistry networks;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!request.hasEntity()) {
            return;
        }
        long max = networks.network().schema().limits().maxRequestBytes();
        if (request.getLength() > max) {
            request.abortWith(tooLarge(max).getResponse());
            return;
        }
        request.setEntityStream(new Bounded(request.getEntityStream(), max));
    }

    static WebApplicationException tooLarge(long max) {
        return new WebApplicationException("A request body is at most " + max + " bytes",
                Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "too-large", "A request body is at most " + max
                        + " bytes").toResponse());
    }

    /** A stream that refuses to give more than its bound. */
    static final class Bounded extends FilterInputStream {

        private final long max;
        private long read;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw tooLarge(max);
            }
        }
    }
}
