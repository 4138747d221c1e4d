package org.meshledger.web.api;

import java.util.List;

import jakarta.ejb.EJB;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.meshledger.ledger.query.RetentionReport;
import org.meshledger.ledger.service.RecordService;

/**
 * {@code /api/retention/expired}: the caller's party's records that hold values past their
 * {@code x-retention} (which fields, since when), for its administrators to purge
 * ({@code "op": "purge"}). At most {@code limit} records per type and rule.
 */
@Path("retention")
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {

    @EJB
    private RecordService records;

    @GET
    @Path("expired")
    public List<RetentionReport.Expired> expired(@QueryParam("limit") @DefaultValue("100") int limit) {
        return records.expired(limit);
    }
}
