package org.meshledger.web.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ejb.EJB;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.meshledger.ledger.admission.Admission;
import org.meshledger.ledger.admission.WorkKind;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.products.DataProduct;
import org.meshledger.ledger.products.DataProductSearch;
import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.ledger.service.AdmissionControl;
import org.meshledger.ledger.service.DataProductService;

/**
 * {@code /api/data-products}: the catalog of data products the caller's party reads, searchable by
 * {@code name}, {@code owner}, {@code field} and {@code classification}; each product at
 * {@code /api/data-products/{owner}/{type}}, with its export at {@code .../export?format=csv|json}.
 */
@Path("data-products")
@Produces(MediaType.APPLICATION_JSON)
public class DataProductsResource {

    @EJB
    private DataProductService products;

    @EJB
    private AdmissionControl admission;

    @GET
    public List<DataProduct> search(@QueryParam("name") String name, @QueryParam("owner") String owner,
            @QueryParam("field") String field, @QueryParam("classification") String classification) {
        return products.search(new DataProductSearch(name, owner, field, classification));
    }

    @GET
    @Path("{owner}/{type}")
    public DataProduct get(@PathParam("owner") String owner, @PathParam("type") String type) {
        return products.get(owner, type);
    }

    /**
     * The product's current records as CSV or NDJSON, streamed a page ({@link ListQuery#MAX_SIZE}
     * records) at a time, so that the node holds one page whatever the product's size. Admitted as
     * an export ({@code meshledger.admission.export.*}) until the last byte is written: a refused
     * one answers 429. The first page is read before the answer starts, so that most failures are an
     * error answer; a later one cuts the stream off (the transfer ends in error, never as a shorter
     * file that looks complete).
     */
    @GET
    @Path("{owner}/{type}/export")
    @Produces({"text/csv", "application/x-ndjson"})
    public Response export(@PathParam("owner") String owner, @PathParam("type") String type,
            @QueryParam("format") @DefaultValue("csv") String format) {
        boolean csv = "csv".equals(format);
        if (!csv && !"json".equals(format)) {
            throw new InvalidQueryException("format", "format is csv or json, not '" + format + "'");
        }
        DataProduct product = products.get(owner, type);
        List<String> columns = new ArrayList<>();
        product.fields().forEach(f -> columns.add(f.name()));
        Admission.Permit permit = admission.enter(WorkKind.EXPORT);
        try {
            List<RecordView> first = new ArrayList<>();
            boolean more = products.exportPage(product, 0, first::add);
            StreamingOutput body = out -> write(out, csv, columns, first, more,
                    (page, sink) -> products.exportPage(product, page, sink), permit);
            String file = product.owner().party() + "-" + type + (csv ? ".csv" : ".ndjson");
            return Response.ok(body, csv ? "text/csv; charset=UTF-8" : "application/x-ndjson")
                    .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    /** Reads a page of an export from 0, hands its records to the sink and answers whether more follow. */
    @FunctionalInterface
    interface Pages {
        boolean read(int page, Consumer<RecordView> sink);
    }

    /**
     * Writes an export: the first page (already read), then each further page as it is read, so that
     * one page is in memory at a time; then closes {@code permit}, whether the writing succeeded or
     * failed (a failed read or a client gone).
     */
    static void write(OutputStream out, boolean csv, List<String> columns, List<RecordView> first, boolean more,
            Pages pages, Admission.Permit permit) throws IOException {
        try (permit) {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            Consumer<RecordView> line = csv ? csvLines(writer, columns) : record -> ndjsonLine(writer, record);
            first.forEach(line);
            first.clear();
            writer.flush();
            boolean next = more;
            for (int page = 1; next; page++) {
                next = pages.read(page, line);
                writer.flush();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void ndjsonLine(Writer writer, RecordView record) {
        ObjectNode line = Json.object().put("id", record.id()).put("version", record.version());
        line.set("state", record.state());
        try {
            writer.write(Json.write(line));
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the header at once, and a row for each record it is handed. */
    private static Consumer<RecordView> csvLines(Writer writer, List<String> columns) throws IOException {
        List<String> header = new ArrayList<>(List.of("id", "version"));
        header.addAll(columns);
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder()
                .setHeader(header.toArray(String[]::new)).get());
        return record -> {
            List<String> row = new ArrayList<>(List.of(CsvCells.cell(record.id()), String.valueOf(record.version())));
            for (String column : columns) {
                JsonNode value = record.state() == null ? null : record.state().get(column);
                row.add(value == null || value.isNull() ? "" : CsvCells.cell(value.isValueNode() ? value.asText()
                        : Json.write(value)));
            }
            try {
                printer.printRecord(row);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
