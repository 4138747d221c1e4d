package org.meshledger.connect.salesforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.UpsertSObjectResult;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.ObjectMapping;
import org.meshledger.connect.spi.OutboundBatch;
import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.OutboundReport;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.connect.spi.WriteResult;

/**
 * A party's Salesforce org, both ways, on camel-salesforce. Inbound, each mapped object's Change Data
 * Capture channel ({@code /data/Payment__ChangeEvent}) is followed over the Streaming API from the
 * last replay id that came back settled from the ledger (kept in the node's database, so a restart
 * resumes there), its events gathered into batches ({@link ChangeStream}); a replay id Salesforce no longer retains falls back to every retained event (-2),
 * which the change ids make safe to take again; an expired session is renewed by camel-salesforce's
 * own login. Each event's change id is its replay id and record. Events of the connector's own
 * writes (marked with {@code Sforce-Call-Options: client=meshledger-<id>}) are not taken back in.
 * Outbound, records are upserted by their external id field in sObject Collections of up to 200.
 *
 * <p>The session token goes only to the login URL's host and the instance hosts the settings allow
 * ({@link InstancePin}): a login that names another instance fails the connector (its routes stop, its
 * status says why) and nothing is sent to that instance. camel-salesforce has no hook that can refuse
 * a login's instance URL before its first request (its session listeners are told after the token is
 * parsed, their exceptions are only logged, and the first login happens as the component starts,
 * before a listener can be added). So the HTTP client's address resolver, which every connection
 * passes before it is opened, refuses any other host outright (no connection, no token, no secret),
 * and fails the connector at the first refused connection; a session listener checks each later
 * login's instance URL (a connector that only writes logs in on its first write) and the first
 * login's is checked once the component has started.
 */
final class SalesforceConnector implements Connector {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int COLLECTION_SIZE = 200;

    private final ConnectorContext context;
    private final SalesforceSettings settings;
    private final String component;
    private final String callOptions;
    private volatile CamelContext camel;
    private volatile ProducerTemplate template;
    private final Map<String, ChangeStream> streams = new java.util.concurrent.ConcurrentHashMap<>();
    private final InstancePin pin;

    SalesforceConnector(ConnectorContext context) {
        this.context = context;
        this.settings = SalesforceSettings.of(context.settings());
        this.component = "salesforce-" + context.id();
        this.callOptions = "client=meshledger-" + context.id();
        this.pin = new InstancePin(settings.loginUrl(), settings.instanceHosts(),
                new org.eclipse.jetty.util.SocketAddressResolver.Sync(), this::refuse);
    }

    /** The Change Data Capture channel of an sObject type. */
    static String channel(String object) {
        return "/data/" + (object.endsWith("__c") ? object.substring(0, object.length() - 1) : object) + "ChangeEvent";
    }

    @Override
    public RoutesBuilder routes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                camel = getCamelContext();
                camel.addComponent(component, component(camel));
                for (ObjectMapping mapping : context.mappings()) {
                    if (!mapping.inbound()) {
                        continue;
                    }
                    String channel = mapping.settings().string("channel", channel(mapping.object()));
                    String stream = "replay:" + channel;
                    long replayId = context.cursors().get(stream).map(Long::parseLong)
                            .orElse(settings.initialReplayId());
                    from(component + ":subscribe:" + channel + "?rawPayload=true&replayId=" + replayId
                            + "&fallBackReplayId=-2")
                            .routeId(context.id() + "-salesforce-in-" + mapping.object())
                            .process(exchange -> {
                                Object replay = exchange.getIn().getHeader(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID);
                                stream(stream).offer(changes(mapping, exchange.getIn().getBody(String.class)),
                                        replay == null ? 0 : Long.parseLong(replay.toString()));
                            });
                }
                if (context.writes()) {
                    from(context.outboundEndpoint()).routeId(context.id() + "-salesforce-out")
                            .process(SalesforceConnector.this::write);
                }
            }
        };
    }

    private SalesforceComponent component(CamelContext camel) {
        SalesforceComponent salesforce = new PinnedComponent(camel, pin);
        // Every connection of its HTTP client resolves its address through the pin first (a documented
        // property of the Jetty client, bound by the component's httpClientProperties).
        salesforce.setHttpClientProperties(new java.util.HashMap<>(Map.of("socketAddressResolver", pin)));
        salesforce.setLoginUrl(settings.loginUrl());
        salesforce.setClientId(settings.clientId());
        salesforce.setClientSecret(settings.clientSecret());
        if (settings.userName() != null) {
            salesforce.setUserName(settings.userName());
            salesforce.setPassword(settings.password());
        }
        // Streaming consumers log in when they start; a connector that only writes logs in on its first write.
        salesforce.setLazyLogin(!context.reads());
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(settings.apiVersion());
        salesforce.setConfig(config);
        salesforce.setHttpClientConnectionTimeout(settings.timeout().toMillis());
        salesforce.setHttpRequestTimeout(settings.timeout().toMillis());
        salesforce.setWorkerPoolSize(4);
        salesforce.setWorkerPoolMaxSize(8);
        // Events are taken on a thread of their own, one at a time (in their order): taking one waits for the
        // ledger, and may ask Salesforce for a whole record, whose answer comes on the HTTP client's workers.
        salesforce.setConsumerWorkerPoolEnabled(true);
        salesforce.setConsumerWorkerPoolSize(1);
        salesforce.setConsumerWorkerPoolMaxSize(1);
        return salesforce;
    }

    /**
     * The component, with the instance URL of each login checked as soon as it is known: right after
     * the component started (its first login is part of the start) and on every renewal.
     */
    private static final class PinnedComponent extends SalesforceComponent {

        private final InstancePin pin;

        PinnedComponent(CamelContext camel, InstancePin pin) {
            super(camel);
            this.pin = pin;
        }

        @Override
        protected void doStart() throws Exception {
            try {
                super.doStart(); // logs in at the login URL (unless lazy), then the Streaming API's handshake
            } catch (Exception e) {
                if (!pin.refused()) {
                    throw e;
                }
                // The handshake with a refused instance (no connection was opened): the connector has failed
                // and is being stopped, and the node's other connectors start.
            }
            getSession().addListener(new org.apache.camel.component.salesforce.internal.SalesforceSession
                    .SalesforceSessionListener() {
                @Override
                public void onLogin(String accessToken, String instanceUrl) {
                    pin.check(instanceUrl);
                }

                @Override
                public void onLogout() {
                    // nothing to check
                }
            });
            pin.check(getSession().getInstanceUrl()); // null until the first login (a connector that only writes)
        }
    }

    /** The org named a host the connector does not trust: it stops, failed with the reason (once). */
    private void refuse(String reason) {
        context.reporter().failed(reason);
    }

    // ---- inbound ----

    /**
     * A change event as system records: one per record id it names, the changed fields (those it
     * cleared as nulls), the whole record for a creation.
     */
    InboundBatch changes(ObjectMapping mapping, String rawMessage) {
        JsonNode message;
        try {
            message = JSON.readTree(rawMessage);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a change event that is not JSON: " + e.getOriginalMessage());
        }
        JsonNode data = message.path("data");
        long replayId = data.path("event").path("replayId").asLong();
        ObjectNode payload = data.path("payload") instanceof ObjectNode p ? p.deepCopy() : JSON.createObjectNode();
        JsonNode header = payload.remove("ChangeEventHeader");
        if (header == null) {
            throw new IllegalArgumentException("a change event without a ChangeEventHeader (replay id " + replayId + ")");
        }
        if (header.path("changeOrigin").asText("").contains(callOptions)) {
            return new InboundBatch(List.of()); // the connector's own write, coming back
        }
        String changeType = header.path("changeType").asText("UPDATE");
        for (JsonNode nulled : header.path("nulledFields")) {
            payload.putNull(nulled.asText());
        }
        Instant committed = header.hasNonNull("commitTimestamp")
                ? Instant.ofEpochMilli(header.path("commitTimestamp").asLong()) : null;
        boolean deletion = changeType.endsWith("DELETE");
        boolean whole = changeType.equals("CREATE") || changeType.equals("UNDELETE");
        List<SourceRecord> records = new ArrayList<>();
        for (JsonNode id : header.path("recordIds")) {
            records.add(new SourceRecord(mapping.object(), id.asText(), deletion ? ChangeKind.DELETE : ChangeKind.UPSERT,
                    deletion ? JSON.createObjectNode() : payload.deepCopy(), !whole && !deletion,
                    replayId + ":" + id.asText(), replayId, committed));
        }
        return new InboundBatch(records);
    }

    @Override
    public Optional<SourceRecord> fetch(String object, String externalId) {
        String raw = template().requestBodyAndHeader(component + ":getSObject?rawPayload=true&sObjectName=" + object,
                null, SalesforceEndpointConfig.SOBJECT_ID, externalId, String.class);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            ObjectNode fields = (ObjectNode) JSON.readTree(raw);
            fields.remove("attributes");
            return Optional.of(new SourceRecord(object, externalId, ChangeKind.UPSERT, fields, false,
                    "fetch:" + externalId, null, null));
        } catch (JsonProcessingException | ClassCastException e) {
            return Optional.empty();
        }
    }

    // ---- outbound ----

    private void write(Exchange exchange) throws Exception {
        OutboundBatch batch = exchange.getIn().getMandatoryBody(OutboundBatch.class);
        List<WriteResult> results = new ArrayList<>();
        for (Map.Entry<String, List<OutboundRecord>> entry : batch.byObject().entrySet()) {
            List<OutboundRecord> records = entry.getValue();
            for (int i = 0; i < records.size(); i += COLLECTION_SIZE) {
                results.addAll(upsert(entry.getKey(), records.subList(i, Math.min(records.size(), i + COLLECTION_SIZE))));
            }
        }
        exchange.getIn().setBody(new OutboundReport(results));
        context.reporter().reachable();
    }

    /** One sObject Collections upsert by external id; what Salesforce refuses comes back per record. */
    private List<WriteResult> upsert(String object, List<OutboundRecord> records) {
        List<WriteResult> results = new ArrayList<>();
        List<OutboundRecord> upserts = new ArrayList<>();
        List<MappedSObject> body = new ArrayList<>();
        for (OutboundRecord record : records) {
            if (record.kind() == ChangeKind.DELETE) {
                results.add(WriteResult.refused(record, "unsupported", "the Salesforce connector does not delete "
                        + object + " records; map it with onDelete: ignore"));
                continue;
            }
            upserts.add(record);
            body.add(new MappedSObject(object, record.fields()));
        }
        if (upserts.isEmpty()) {
            return results;
        }
        String keyField = upserts.get(0).keyField();
        List<?> answers;
        try {
            answers = template().requestBodyAndHeaders(component + ":compositeUpsertSObjectCollections?sObjectName="
                    + object + "&sObjectIdName=" + keyField + "&allOrNone=false", body,
                    Map.of("Sforce-Call-Options", callOptions), List.class);
        } catch (CamelExecutionException e) {
            SalesforceException salesforce = salesforceCause(e);
            if (salesforce != null && salesforce.getStatusCode() >= 400 && salesforce.getStatusCode() < 500
                    && salesforce.getStatusCode() != 401 && salesforce.getStatusCode() != 408
                    && salesforce.getStatusCode() != 429) {
                for (OutboundRecord record : upserts) {
                    results.add(WriteResult.refused(record, errorCode(salesforce), salesforce.getMessage()));
                }
                return results;
            }
            throw e; // away, throttled or failing: the core retries the batch
        }
        for (int i = 0; i < upserts.size(); i++) {
            Object answer = i < answers.size() ? answers.get(i) : null;
            OutboundRecord record = upserts.get(i);
            if (answer instanceof UpsertSObjectResult result && Boolean.TRUE.equals(result.getSuccess())) {
                results.add(WriteResult.written(record, result.getId()));
            } else if (answer instanceof UpsertSObjectResult result) {
                RestError error = result.getErrors() == null || result.getErrors().isEmpty() ? null
                        : result.getErrors().get(0);
                results.add(WriteResult.refused(record, error == null ? "UNKNOWN" : error.getErrorCode(),
                        error == null ? "Salesforce refused the record" : error.getMessage()));
            } else {
                results.add(WriteResult.refused(record, "UNKNOWN", "Salesforce gave no answer for the record"));
            }
        }
        return results;
    }

    private static SalesforceException salesforceCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SalesforceException salesforce) {
                return salesforce;
            }
        }
        return null;
    }

    private static String errorCode(SalesforceException e) {
        List<RestError> errors = e.getErrors();
        return errors == null || errors.isEmpty() ? "HTTP " + e.getStatusCode() : errors.get(0).getErrorCode();
    }

    /** The batching stage of a channel's events, started with its first event. */
    private ChangeStream stream(String name) {
        return streams.computeIfAbsent(name, n -> new ChangeStream(context, n, camel));
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = camel.createProducerTemplate();
        }
        return template;
    }

    @Override
    public void close() {
        streams.values().forEach(ChangeStream::stop);
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
