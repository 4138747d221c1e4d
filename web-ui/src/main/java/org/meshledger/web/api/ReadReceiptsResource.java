package org.meshledger.web.api;

import java.util.List;

import jakarta.ejb.EJB;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.meshledger.ledger.service.RecordService;
import org.meshledger.persistence.ledger.ReadReceiptRow;

/**
 * {@code /api/read-receipts}: who was shown the pii or confidential fields of the caller's party's
 * records, when and by which path (get, version, history, list, proof), newest first; for the
 * party's administrators. Narrowed by {@code type}, {@code id}, {@code from} and {@code to} (ISO
 * 8601 instants, {@code to} exclusive), paged by {@code page} and {@code size}.
 */
@Path("read-receipts")
@Produces(MediaType.APPLICATION_JSON)
public class ReadReceiptsResource {

    @EJB
    private RecordService records;

    @GET
    public List<ReadReceiptRow> receipts(@QueryParam("type") String type, @QueryParam("id") String id,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("100") int size) {
        return records.readReceipts(blankToNull(type), blankToNull(id), AsOfParameters.instant("from", from),
                AsOfParameters.instant("to", to), page, size);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
