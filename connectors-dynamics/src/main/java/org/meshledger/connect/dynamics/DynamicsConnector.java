package org.meshledger.connect.dynamics;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.connect.spi.ObjectMapping;
import org.meshledger.connect.spi.OutboundBatch;
import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.OutboundReport;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.connect.spi.WriteResult;

/**
 * A party's Dynamics 365 (Dataverse) environment, both ways. Inbound, a timer polls each mapped
 * entity set with change tracking: the first poll reads every record, then each poll follows the
 * stored delta link (saved only once every page of it came back settled from the ledger, so a
 * restart resumes from the last settled link); an expired link starts the set over. Each record's
 * change id is its row version, so a page read twice commits nothing twice. Outbound, each record is
 * upserted by its alternate key (the mapped ledger key).
 *
 * <p>Links from answers are followed only inside the configured environment's Web API: a page whose
 * next or delta link names another host (or leaves the API's root) is refused with a clear error, as a
 * malformed page is, and nothing is sent there; a kept delta link that does so is dropped and the set
 * read again from the start.
 */
final class DynamicsConnector implements Connector {

    /** A mapped entity set: its primary id and row version columns, and what is selected of it. */
    private record Table(ObjectMapping mapping, String primaryId, String versionField, List<String> select) {
    }

    private final ConnectorContext context;
    private final DataverseSettings settings;
    private final DataverseClient client;
    private final List<Table> tables = new ArrayList<>();
    private volatile ProducerTemplate template;
    private java.util.concurrent.ExecutorService writers;
    private static final int PARALLEL_WRITES = 4;

    DynamicsConnector(ConnectorContext context) {
        this.context = context;
        this.settings = DataverseSettings.of(context.settings());
        this.client = new DataverseClient(settings, Clock.systemUTC());
        for (ObjectMapping mapping : context.mappings()) {
            String set = mapping.object();
            String primaryId = mapping.settings().string("primaryId", (set.endsWith("s") ? set.substring(0,
                    set.length() - 1) : set) + "id");
            String versionField = mapping.settings().string("versionField", "versionnumber");
            Set<String> select = new LinkedHashSet<>(mapping.fields());
            select.add(primaryId);
            select.add(versionField);
            select.add("modifiedon");
            tables.add(new Table(mapping, primaryId, versionField, List.copyOf(select)));
        }
    }

    @Override
    public RoutesBuilder routes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                if (context.reads()) {
                    from("timer:" + context.id() + "-dataverse?delay=0&fixedRate=false&period="
                            + settings.pollInterval().toMillis()).routeId(context.id() + "-dataverse-in")
                            .process(exchange -> poll(exchange.getContext()));
                }
                if (context.writes()) {
                    from(context.outboundEndpoint()).routeId(context.id() + "-dataverse-out")
                            .process(DynamicsConnector.this::write);
                }
            }
        };
    }

    // ---- inbound ----

    private void poll(CamelContext camel) {
        if (template == null) {
            template = camel.createProducerTemplate();
        }
        for (Table table : tables) {
            if (!table.mapping().inbound()) {
                continue;
            }
            String stream = "delta:" + table.mapping().object();
            try {
                sync(table, stream);
            } catch (DeltaLinkExpiredException e) {
                context.cursors().clear(stream);
                context.reporter().unreachable("the delta link of " + table.mapping().object() + " expired ("
                        + e.getMessage() + "); reading it again from the start");
                return;
            } catch (DataverseUnavailableException | DataverseRefusedException | DataverseUntrustedLinkException e) {
                // A link to another host is refused with its page, as a malformed page is: nothing sent there.
                context.reporter().unreachable("cannot read " + table.mapping().object() + ": " + e.getMessage()
                        + "; polling again");
                return;
            }
        }
        context.reporter().reachable();
    }

    /** Reads one entity set's changes, page by page, and saves its new delta link once all are settled. */
    private void sync(Table table, String stream) {
        String set = table.mapping().object();
        var link = context.cursors().get(stream);
        if (link.isPresent()) {
            try {
                client.trusted(link.get(), "the kept delta link " + link.get());
            } catch (DataverseUntrustedLinkException e) {
                context.cursors().clear(stream); // never followed: the next poll reads the set from the start
                throw new DataverseUntrustedLinkException(e.getMessage() + "; reading " + set + " from the start");
            }
        }
        DataverseClient.ChangePage page = link.isPresent() ? client.page(link.get())
                : client.firstPage(set, table.select());
        while (true) {
            InboundBatch batch = records(table, page);
            if (!batch.records().isEmpty()) {
                template.requestBody(context.inboundEndpoint(), batch, InboundReport.class);
            }
            if (page.nextLink() != null) {
                page = client.page(page.nextLink());
                continue;
            }
            if (page.deltaLink() == null) {
                throw new DataverseUnavailableException("the last page of " + set + " has no delta link");
            }
            context.cursors().save(stream, page.deltaLink());
            return;
        }
    }

    private InboundBatch records(Table table, DataverseClient.ChangePage page) {
        String set = table.mapping().object();
        List<SourceRecord> records = new ArrayList<>();
        for (ObjectNode row : page.records()) {
            String id = row.path(table.primaryId()).asText(null);
            JsonNode version = row.get(table.versionField());
            Long sequence = version == null || version.isNull() ? null : parseLong(version.asText());
            ObjectNode fields = row.deepCopy();
            // OData annotations and the system's own columns are not the record's fields.
            fields.remove(fields.properties().stream().map(java.util.Map.Entry::getKey)
                    .filter(name -> name.startsWith("@") || ((name.equals(table.primaryId())
                            || name.equals(table.versionField()) || name.equals("modifiedon"))
                            && !table.mapping().fields().contains(name))).toList());
            records.add(new SourceRecord(set, id, ChangeKind.UPSERT, fields, false,
                    set + ":" + (sequence == null ? "v?" + id : sequence), sequence, instant(row.path("modifiedon"))));
        }
        for (String id : page.deleted()) {
            records.add(new SourceRecord(set, id, ChangeKind.DELETE, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), false,
                    set + ":deleted:" + id, null, null));
        }
        return new InboundBatch(records);
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- outbound ----

    /**
     * Writes a batch, {@value #PARALLEL_WRITES} requests at a time (a batch holds each record once, so
     * their order does not matter; Dataverse serves parallel requests, within its service limits).
     */
    private void write(Exchange exchange) throws Exception {
        OutboundBatch batch = exchange.getIn().getMandatoryBody(OutboundBatch.class);
        List<java.util.concurrent.Future<WriteResult>> pending = new ArrayList<>();
        for (OutboundRecord record : batch.records()) {
            pending.add(writers(exchange.getContext()).submit(() -> write(record)));
        }
        List<WriteResult> results = new ArrayList<>();
        RuntimeException failure = null;
        for (java.util.concurrent.Future<WriteResult> result : pending) {
            try {
                results.add(result.get());
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause() instanceof RuntimeException r ? r : new DataverseUnavailableException(
                        String.valueOf(e.getCause()));
            }
        }
        if (failure != null) {
            throw failure; // the service could not take the batch: the core retries it (written ones are idempotent)
        }
        exchange.getIn().setBody(new OutboundReport(results));
        context.reporter().reachable();
    }

    private WriteResult write(OutboundRecord record) {
        try {
            if (record.kind() == ChangeKind.DELETE) {
                client.delete(record.object(), record.keyField(), record.key());
                return WriteResult.written(record, record.externalId());
            }
            ObjectNode body = record.fields().deepCopy();
            body.remove(record.keyField()); // it is in the URL: the alternate key
            DataverseClient.Upsert upsert = client.upsert(record.object(), record.keyField(), record.key(), body,
                    record.externalId() != null);
            return WriteResult.written(record, upsert.id());
        } catch (DataverseRefusedException e) {
            return WriteResult.refused(record, e.code(), e.getMessage());
        }
    }

    private synchronized java.util.concurrent.ExecutorService writers(CamelContext camel) {
        if (writers == null) {
            writers = camel.getExecutorServiceManager().newFixedThreadPool(this, context.id() + "-dataverse-writer",
                    PARALLEL_WRITES);
        }
        return writers;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (writers != null) {
                writers.shutdownNow();
            }
        }
        ProducerTemplate current = template;
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                // the context is stopping anyway
            }
        }
    }
}
