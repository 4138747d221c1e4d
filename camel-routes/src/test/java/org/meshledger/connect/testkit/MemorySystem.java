package org.meshledger.connect.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.ConnectorProvider;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.connect.spi.OutboundBatch;
import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.OutboundReport;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.connect.spi.WriteResult;

/**
 * A party's system kept in memory, as a connector of kind {@code memory}: tests push its changes
 * through the connector's inbound route and see what the node wrote to it, and make it fail on
 * purpose (unreachable for the next writes, or refusing a record).
 */
public final class MemorySystem implements Connector {

    /** The systems of the connectors started, by connector id (the latest start of each). */
    public static final Map<String, MemorySystem> SYSTEMS = new ConcurrentHashMap<>();

    /** Makes {@code memory} connectors. */
    public static final class Provider implements ConnectorProvider {
        @Override
        public String kind() {
            return "memory";
        }

        @Override
        public Connector create(ConnectorContext context) {
            MemorySystem system = new MemorySystem(context);
            SYSTEMS.put(context.id(), system);
            return system;
        }
    }

    private final ConnectorContext context;
    /** What the node wrote, per object and key, latest state. */
    public final Map<String, Map<String, ObjectNode>> records = new ConcurrentHashMap<>();
    /** Every record the node wrote, in order. */
    public final List<OutboundRecord> written = new CopyOnWriteArrayList<>();
    /** Write requests that fail as a whole (the system away) before one succeeds. */
    public final AtomicInteger failNextWrites = new AtomicInteger();
    /** Keys the system refuses, with its reason. */
    public final Map<String, String> refuse = new ConcurrentHashMap<>();
    /** Write requests received (batches). */
    public final AtomicInteger writeRequests = new AtomicInteger();

    private MemorySystem(ConnectorContext context) {
        this.context = context;
    }

    public ConnectorContext context() {
        return context;
    }

    public String sourceEndpoint() {
        return "direct:memory-source-" + context.id();
    }

    @Override
    public RoutesBuilder routes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(sourceEndpoint()).routeId(context.id() + "-memory-in")
                        .to(context.inboundEndpoint())
                        .process(exchange -> {
                            // The position is saved only once the batch came back settled.
                            InboundBatch batch = exchange.getProperty("batch", InboundBatch.class);
                            if (batch != null && !batch.records().isEmpty()) {
                                context.cursors().save("changes", batch.records().get(batch.records().size() - 1)
                                        .changeId());
                            }
                        });
                if (context.writes()) {
                    from(context.outboundEndpoint()).routeId(context.id() + "-memory-out")
                            .process(MemorySystem.this::write);
                }
            }
        };
    }

    private void write(Exchange exchange) throws Exception {
        writeRequests.incrementAndGet();
        OutboundBatch batch = exchange.getIn().getMandatoryBody(OutboundBatch.class);
        if (failNextWrites.get() > 0) {
            failNextWrites.decrementAndGet();
            throw new IllegalStateException("503 Service Unavailable (the system is away)");
        }
        List<WriteResult> results = new ArrayList<>();
        for (OutboundRecord record : batch.records()) {
            String refusal = refuse.get(record.key());
            if (refusal != null) {
                results.add(WriteResult.refused(record, "REFUSED", refusal));
                continue;
            }
            Map<String, ObjectNode> object = records.computeIfAbsent(record.object(), o -> new ConcurrentHashMap<>());
            if (record.kind() == ChangeKind.DELETE) {
                object.remove(record.key());
            } else {
                // A write carries what changed; the system keeps the rest.
                object.merge(record.key(), record.fields().deepCopy(), (had, changed) -> {
                    had.setAll(changed);
                    return had;
                });
            }
            written.add(record);
            results.add(WriteResult.written(record, "mem-" + record.key()));
        }
        exchange.getIn().setBody(new OutboundReport(results));
    }

    /** The whole record as the system has it (for changes that carry only some fields). */
    public final Map<String, ObjectNode> whole = new ConcurrentHashMap<>();

    @Override
    public Optional<SourceRecord> fetch(String object, String externalId) {
        ObjectNode fields = whole.get(object + "/" + externalId);
        return fields == null ? Optional.empty() : Optional.of(new SourceRecord(object, externalId, ChangeKind.UPSERT,
                fields, false, "fetch", null, null));
    }

    /** Pushes changes through the connector's inbound route, as the system's stream would. */
    public InboundReport emit(org.apache.camel.ProducerTemplate template, SourceRecord... changes) {
        InboundBatch batch = InboundBatch.of(changes);
        Exchange result = template.request(sourceEndpoint(), e -> {
            e.getIn().setBody(batch);
            e.setProperty("batch", batch);
        });
        if (result.getException() != null) {
            throw new IllegalStateException(result.getException());
        }
        return result.getMessage().getBody(InboundReport.class);
    }
}
