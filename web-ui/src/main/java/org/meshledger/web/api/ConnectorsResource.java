package org.meshledger.web.api;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.meshledger.connect.runtime.DeadLetterReplay;
import org.meshledger.connect.service.ConnectorService;
import org.meshledger.connect.service.ConnectorView;
import org.meshledger.connect.service.DeadLetterView;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.ledger.query.InvalidQueryException;

/**
 * {@code /api/connectors}: the connectors of the caller's party with their status (last sync, lag,
 * errors, dead letters); their dead letters, replayed or discarded by its party administrators; and
 * {@code POST /api/connectors/{id}/webhook}, where a party's in-house system posts its changes.
 */
@Path("connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorsResource {

    @EJB
    private ConnectorService connectors;

    @GET
    public List<ConnectorView> list() {
        return connectors.list();
    }

    @GET
    @Path("{id}")
    public ConnectorView get(@PathParam("id") String id) {
        return connectors.get(id);
    }

    @GET
    @Path("{id}/dead-letters")
    public List<DeadLetterView> deadLetters(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
        return connectors.deadLetters(id, status, offset, limit);
    }

    @GET
    @Path("{id}/dead-letters/{letter}")
    public DeadLetterView deadLetter(@PathParam("id") String id, @PathParam("letter") long letter) {
        return connectors.deadLetter(id, letter);
    }

    /** Replays every open dead letter of the connector, oldest first. */
    @POST
    @Path("{id}/dead-letters/replay")
    public List<DeadLetterReplay.Outcome> replayAll(@PathParam("id") String id) {
        return connectors.replayAll(id);
    }

    @POST
    @Path("{id}/dead-letters/{letter}/replay")
    public DeadLetterReplay.Outcome replay(@PathParam("id") String id, @PathParam("letter") long letter) {
        return connectors.replay(id, letter);
    }

    @POST
    @Path("{id}/dead-letters/{letter}/discard")
    public DeadLetterView discard(@PathParam("id") String id, @PathParam("letter") long letter) {
        return connectors.discard(id, letter);
    }

    /**
     * A webhook connector's way in: the body is a list of records in the system's field names, or
     * {@code {"object": ..., "records": [...]}}; the answer says what became of each. A request sent
     * again with the same {@code Idempotency-Key} commits nothing twice.
     */
    @POST
    @Path("{id}/webhook")
    @Consumes(MediaType.APPLICATION_JSON)
    public InboundReport webhook(@PathParam("id") String id, @QueryParam("object") String object,
            @HeaderParam("Idempotency-Key") String idempotencyKey, JsonNode body) {
        if (body == null) {
            throw new InvalidQueryException("records", "the body is a list of records, or {\"object\": ..., "
                    + "\"records\": [...]}");
        }
        JsonNode records = body.isObject() ? body.get("records") : body;
        String named = body.isObject() && body.hasNonNull("object") ? body.path("object").asText() : object;
        return connectors.webhook(id, named, records, idempotencyKey);
    }
}
