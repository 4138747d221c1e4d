package org.meshledger.connect.depot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.ObjectMapping;
import org.meshledger.connect.spi.OutboundBatch;
import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.OutboundReport;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.connect.spi.WriteResult;

/**
 * A party's file depot, both ways: files it drops (CSV or fixed-width, as each mapping's layout
 * says) become ledger changes, line by line, and the ledger's changes it reads are written as files
 * in the same layouts. Each line's change id is its file's name and line number, so a file dropped
 * again commits nothing twice; a file is moved to {@code .done/} once every line is committed or
 * dead-lettered, and stays in place (read again at the next poll) if the node could not settle it.
 * Written files get a name from their content's hash, so a batch written again after a restart
 * replaces its own file instead of adding a second one.
 */
final class FileDepotConnector implements Connector {

    private static final int LINES_PER_BATCH = 500;

    private final ConnectorContext context;
    private final Map<String, FileLayout> layouts = new LinkedHashMap<>();
    private final Map<String, ObjectMapping> mappings = new LinkedHashMap<>();
    private final DepotLocation inbound;
    private final DepotLocation outbound;
    private final long pollMillis;

    FileDepotConnector(ConnectorContext context) {
        this.context = context;
        for (ObjectMapping mapping : context.mappings()) {
            layouts.put(mapping.object(), FileLayout.of(mapping.settings(), mapping.object(), mapping.fields()));
            mappings.put(mapping.object(), mapping);
        }
        this.inbound = context.reads() ? DepotLocation.of(context.settings().object("inbound")) : null;
        this.outbound = context.writes() ? DepotLocation.of(context.settings().object("outbound")) : null;
        this.pollMillis = context.settings().integer("pollMs", 1000);
        if (pollMillis < 10) {
            throw new ConnectorConfigException(context.settings().where("pollMs") + " must be at least 10");
        }
    }

    @Override
    public RoutesBuilder routes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                if (inbound != null) {
                    String strategy = context.id() + "-poll-strategy";
                    getCamelContext().getRegistry().bind(strategy, new ReportingPollStrategy(context.reporter(),
                            inbound.toString()));
                    String include = mappings.values().stream().filter(ObjectMapping::inbound)
                            .map(m -> "(?:" + layouts.get(m.object()).patternText() + ")")
                            .collect(Collectors.joining("|"));
                    from(inbound.consumer(include, pollMillis, strategy)).routeId(context.id() + "-depot-in")
                            .process(FileDepotConnector.this::readFile)
                            .split(body())
                                .to(context.inboundEndpoint())
                            .end();
                }
                if (outbound != null) {
                    from(context.outboundEndpoint()).routeId(context.id() + "-depot-out")
                            .process(FileDepotConnector.this::prepareFiles)
                            .split(exchangeProperty(FILES))
                                .process(e -> {
                                    DepotFile file = e.getIn().getBody(DepotFile.class);
                                    e.getIn().setHeader(Exchange.FILE_NAME, file.name());
                                    e.getIn().setBody(file.content());
                                })
                                .to(outbound.producer())
                            .end()
                            .process(e -> {
                                e.getIn().setBody(e.getProperty(REPORT));
                                context.reporter().reachable();
                            });
                }
            }
        };
    }

    /** A line of a file is the whole record. */
    @Override
    public boolean writesChangesOnly() {
        return false;
    }

    // ---- inbound ----

    /** The file's lines as batches of system records; unreadable lines go to the dead-letter store. */
    private void readFile(Exchange exchange) {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Optional<ObjectMapping> mapping = mappings.values().stream()
                .filter(m -> m.inbound() && layouts.get(m.object()).matches(name)).findFirst();
        List<InboundBatch> batches = new ArrayList<>();
        if (mapping.isEmpty()) {
            exchange.getIn().setBody(batches);
            return;
        }
        FileLayout layout = layouts.get(mapping.get().object());
        byte[] bytes = exchange.getIn().getBody(byte[].class);
        String content = new String(bytes, layout.charset());
        List<SourceRecord> records = new ArrayList<>();
        for (FileLayout.Line line : layout.read(content)) {
            String changeId = name + ":" + line.number();
            if (line.error() != null) {
                SourceRecord raw = new SourceRecord(mapping.get().object(), null, ChangeKind.UPSERT,
                        JsonNodeFactory.instance.objectNode().put("line", line.raw()), false, changeId, null, null);
                context.deadLetter(raw, "unreadable", name + ": " + line.error());
                continue;
            }
            JsonNode key = line.fields().get(mapping.get().keyField());
            records.add(new SourceRecord(mapping.get().object(), key == null || key.isNull() ? null : key.asText(),
                    ChangeKind.UPSERT, line.fields(), false, changeId, null, null));
            if (records.size() == LINES_PER_BATCH) {
                batches.add(new InboundBatch(records));
                records = new ArrayList<>();
            }
        }
        if (!records.isEmpty()) {
            batches.add(new InboundBatch(records));
        }
        exchange.getIn().setBody(batches);
    }

    // ---- outbound ----

    private static final String FILES = "meshledger.depot.files";
    private static final String REPORT = "meshledger.depot.report";

    /** A file to write. */
    public record DepotFile(String name, byte[] content) {
    }

    /** One file per object of the batch; a record whose value does not fit its layout is refused. */
    private void prepareFiles(Exchange exchange) throws Exception {
        OutboundBatch batch = exchange.getIn().getMandatoryBody(OutboundBatch.class);
        List<WriteResult> results = new ArrayList<>();
        List<DepotFile> files = new ArrayList<>();
        for (Map.Entry<String, List<OutboundRecord>> entry : batch.byObject().entrySet()) {
            FileLayout layout = layouts.get(entry.getKey());
            StringBuilder content = new StringBuilder();
            String header = layout.headerLine();
            if (header != null) {
                content.append(header).append(layout.lineEnding());
            }
            long height = 0;
            int lines = 0;
            for (OutboundRecord record : entry.getValue()) {
                if (record.kind() == ChangeKind.DELETE) {
                    results.add(WriteResult.refused(record, "unsupported", "a file depot takes no deletions"));
                    continue;
                }
                try {
                    content.append(layout.line(record.fields())).append(layout.lineEnding());
                    results.add(WriteResult.written(record, null));
                    height = Math.max(height, record.blockHeight());
                    lines++;
                } catch (IllegalArgumentException e) {
                    results.add(WriteResult.refused(record, "layout", e.getMessage()));
                }
            }
            if (lines > 0) {
                String text = content.toString();
                files.add(new DepotFile(layout.fileName(entry.getKey(), height, text), text.getBytes(layout.charset())));
            }
        }
        exchange.setProperty(FILES, files);
        exchange.setProperty(REPORT, new OutboundReport(results));
    }
}
