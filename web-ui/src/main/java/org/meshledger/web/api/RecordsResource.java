package org.meshledger.web.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ejb.EJB;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.query.HistoryEntry;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.ledger.service.ProofService;
import org.meshledger.ledger.service.RecordService;

/**
 * {@code /api/records/{type}}: the shared records, as the caller's party may see them. Lists take
 * {@code filter.<field>=value}, {@code prefix.<field>=text} (starts with, ignoring case),
 * {@code anyOf.<field>=a,b,c}, {@code sort=field,-field}, {@code page} and {@code size}; lists and
 * records take {@code asOfHeight}, {@code asOfTime} and {@code validAt} for history.
 */
@Path("records/{type}")
@Produces(MediaType.APPLICATION_JSON)
public class RecordsResource {

    private static final String FILTER = "filter.";
    private static final String PREFIX = "prefix.";
    private static final String ANY_OF = "anyOf.";

    @EJB
    private RecordService records;

    @EJB
    private ProofService proofs;

    @GET
    public RecordPage list(@PathParam("type") String type, @Context UriInfo uri,
            @QueryParam("sort") List<String> sort, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size, @QueryParam("asOfHeight") Long asOfHeight,
            @QueryParam("asOfTime") String asOfTime, @QueryParam("validAt") String validAt) {
        Map<String, String> filters = new LinkedHashMap<>();
        Map<String, String> prefixes = new LinkedHashMap<>();
        Map<String, List<String>> anyOf = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (values.isEmpty()) {
                return;
            }
            if (name.startsWith(FILTER)) {
                filters.put(name.substring(FILTER.length()), values.get(0));
            } else if (name.startsWith(PREFIX)) {
                prefixes.put(name.substring(PREFIX.length()), values.get(0));
            } else if (name.startsWith(ANY_OF)) {
                anyOf.put(name.substring(ANY_OF.length()), values.stream()
                        .flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).filter(v -> !v.isEmpty()).toList());
            }
        });
        List<String> order = new ArrayList<>();
        for (String s : sort) {
            for (String field : s.split(",")) {
                if (!field.isBlank()) {
                    order.add(field.trim());
                }
            }
        }
        return records.list(type, new ListQuery(filters, prefixes, anyOf, order, page, size,
                AsOfParameters.parse(asOfHeight, asOfTime, validAt)));
    }

    @GET
    @Path("{id}")
    public RecordView get(@PathParam("type") String type, @PathParam("id") String id,
            @QueryParam("asOfHeight") Long asOfHeight, @QueryParam("asOfTime") String asOfTime,
            @QueryParam("validAt") String validAt) {
        return records.get(type, id, AsOfParameters.parse(asOfHeight, asOfTime, validAt));
    }

    @GET
    @Path("{id}/history")
    public List<HistoryEntry> history(@PathParam("type") String type, @PathParam("id") String id) {
        return records.history(type, id);
    }

    @GET
    @Path("{id}/versions/{version}")
    public RecordView version(@PathParam("type") String type, @PathParam("id") String id,
            @PathParam("version") int version) {
        return records.version(type, id, version);
    }

    /** Verify offline: {@code java -cp ejb-ledger.jar org.meshledger.ledger.proof.ProofVerifier proof.json}. */
    @GET
    @Path("{id}/versions/{version}/proof")
    public InclusionProof proof(@PathParam("type") String type, @PathParam("id") String id,
            @PathParam("version") int version, @QueryParam("height") Long height) {
        return proofs.inclusion(type, id, version, height);
    }
}
