package org.meshledger.connect.salesforce;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.meshledger.connect.testkit.LoopbackServer;

/**
 * A Salesforce org on loopback that speaks the APIs the connector uses, as Salesforce documents them:
 * OAuth 2.0 ({@code /services/oauth2/token}: client credentials and username-password flows, and
 * {@code /services/oauth2/revoke}); the REST API's sObject Collections upsert by external id
 * ({@code PATCH /services/data/vXX.X/composite/sobjects/<type>/<field>}), sObject upsert and
 * retrieve; errors as {@code [{"message", "errorCode"}]} with 401 {@code INVALID_SESSION_ID} for an
 * expired session; and the Streaming API's Bayeux protocol ({@code /cometd/<version>}: handshake,
 * subscribe with the replay extension, long-polling connect) carrying Change Data Capture events of
 * each object ({@code /data/Payment__ChangeEvent}: header with changeType, recordIds,
 * changedFields, nulledFields, commitTimestamp, changeOrigin, and the changed fields), retained from
 * a replay id on, with {@code 400::The replayId {N} you provided was invalid} for one outside the
 * retention and {@code 401::Authentication invalid} once the session expired. Tests make it fail
 * on purpose.
 */
public final class FakeSalesforce implements AutoCloseable {

    /** DEMO credentials of the fake's connected app. */
    public static final String CLIENT_ID = "meshledger-connected-app";
    public static final String CLIENT_SECRET = "demo-salesforce-secret-not-for-production";
    public static final String ORG_ID = "00D5e0000012345EAA";
    public static final String USER_ID = "0055e000001ABCDAAA";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern COLLECTION = Pattern.compile("^/services/data/v[0-9.]+/composite/sobjects/(\\w+)/(\\w+)$");
    private static final Pattern SOBJECT = Pattern.compile("^/services/data/v[0-9.]+/sobjects/(\\w+)/(\\w+)(?:/([^/]+))?$");
    private static final Duration LONG_POLL = Duration.ofSeconds(2);
    private static final int EVENTS_PER_CONNECT = 200;
    private static final int RETAINED = 100_000;

    /** A connected Bayeux client: what it subscribed to, and the events waiting for its next connect. */
    private static final class Client {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final Map<String, Boolean> channels = new ConcurrentHashMap<>();
        final LinkedBlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
    }

    /** A retained change event. */
    private record Event(String channel, long replayId, ObjectNode message) {
    }

    private final HttpServer server;
    private final Map<String, Map<String, ObjectNode>> objects = new ConcurrentHashMap<>();
    private final Map<String, String> externalIdFields = new ConcurrentHashMap<>();
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    /** Retained events, oldest first (guarded by this). */
    private final java.util.ArrayDeque<Event> events = new java.util.ArrayDeque<>();
    /** Records by type, external id field and value (guarded by this). */
    private final Map<String, ObjectNode> byExternalId = new HashMap<>();
    /** Record ids per object, oldest created first (guarded by this), for {@link #retain}. */
    private final Map<String, java.util.ArrayDeque<String>> creationOrder = new HashMap<>();
    private volatile int maxRecords = Integer.MAX_VALUE;
    private final AtomicLong replayIds = new AtomicLong(10_000);
    private final AtomicLong ids = new AtomicLong(1);
    private volatile long oldestRetained = 0;
    private volatile Duration sessionLifetime = Duration.ofHours(2);
    private volatile String instanceUrl;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;
    private final Map<String, String[]> refusals = new ConcurrentHashMap<>();
    private final LoopbackServer.Counts counts = new LoopbackServer.Counts();
    private volatile java.util.function.Consumer<String> onApiWrite = key -> { };

    private FakeSalesforce(int port) throws IOException {
        // Long polls hold a thread each.
        this.server = LoopbackServer.start(port, "fake-salesforce", 16, this::handle);
    }

    public static FakeSalesforce start(int port) throws IOException {
        return new FakeSalesforce(port);
    }

    /** The login URL and, as the token answer says, the instance URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An object with an external id field (the ledger's key) that upserts match on. */
    public FakeSalesforce object(String type, String externalIdField) {
        objects.putIfAbsent(type, new ConcurrentHashMap<>());
        externalIdFields.put(type, externalIdField);
        return this;
    }

    /**
     * Keeps at most this many records per object, forgetting the oldest created as new ones come
     * (no change event: they are forgotten, not deleted), so a long demo's memory stays bounded.
     * Tests keep every record (the default); change events are retained up to a bound anyway.
     */
    public FakeSalesforce retain(int recordsPerObject) {
        if (recordsPerObject < 1) {
            throw new IllegalArgumentException("an object keeps at least one record");
        }
        this.maxRecords = recordsPerObject;
        return this;
    }

    /** Forgets the oldest records of an object over the bound (the caller holds this). */
    private void forgetOldest(String type, String field, Map<String, ObjectNode> records) {
        java.util.ArrayDeque<String> order = creationOrder.get(type);
        while (records.size() > maxRecords && order != null && !order.isEmpty()) {
            ObjectNode gone = records.remove(order.poll());
            if (gone != null) {
                byExternalId.remove(type + "/" + field + "/" + gone.path(field).asText());
            }
        }
    }

    // ---- what users of the org do, and what it holds ----

    /** A user creates or edits a record in Salesforce (by its external id); returns its Salesforce id. */
    public String userChange(String type, String externalId, ObjectNode fields) {
        return write(type, externalIdFields.get(type), externalId, fields, "com/salesforce/ui").id();
    }

    /** A user deletes a record. */
    public synchronized void userDelete(String type, String externalId) {
        ObjectNode record = find(type, externalIdFields.get(type), externalId);
        if (record != null) {
            objects.get(type).remove(record.path("Id").asText());
            byExternalId.remove(type + "/" + externalIdFields.get(type) + "/" + externalId);
            publish(type, "DELETE", record.path("Id").asText(), JSON.createObjectNode(), List.of(), "com/salesforce/ui");
        }
    }

    public ObjectNode record(String type, String externalId) {
        ObjectNode record = find(type, externalIdFields.get(type), externalId);
        return record == null ? null : record.deepCopy();
    }

    /** The external ids of an object's records. */
    public List<String> externalIds(String type) {
        String field = externalIdFields.get(type);
        return objects.getOrDefault(type, Map.of()).values().stream().map(r -> r.path(field).asText()).sorted().toList();
    }

    public int size(String type) {
        return objects.getOrDefault(type, Map.of()).size();
    }

    /** The replay id of the newest event so far. */
    public long lastReplayId() {
        return replayIds.get();
    }

    /** Told the external id of every record written through the API (benchmarks time the writes). */
    public void onApiWrite(java.util.function.Consumer<String> listener) {
        onApiWrite = listener;
    }

    // ---- faults ----

    /** The next {@code n} REST requests fail with this status. */
    public void failNext(int n, int status) {
        failStatus = status;
        failNext.set(n);
    }

    /**
     * Logins from now on answer this {@code instance_url} (another host or port, e.g. a
     * {@code DecoyServer}: an org, or something posing as one, steering the session elsewhere); null: its own.
     */
    public void instanceUrl(String url) {
        instanceUrl = url;
    }

    /** Every session issued so far expires now: REST answers 401, the Streaming API 401::Authentication invalid. */
    public void expireSessions() {
        sessions.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    /**
     * Events up to this replay id fall out of the retention window (Salesforce keeps them three days):
     * they are gone from the stream, and a subscription from a replay id before it is refused.
     */
    public synchronized void forgetEventsUpTo(long replayId) {
        oldestRetained = replayId + 1;
        events.removeIf(e -> e.replayId() < oldestRetained);
    }

    /** A write that sets this field to this value is refused (a validation rule). */
    public void refuse(String field, String value, String errorCode, String message) {
        refusals.put(field + "=" + value, new String[] {errorCode, message});
    }

    public void clearRefusals() {
        refusals.clear();
    }

    /** How many requests of a kind it answered: login, revoke, handshake, subscribe, connect, upsert, get, 401, 5xx. */
    public int count(String kind) {
        return counts.count(kind);
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/services/oauth2/token")) {
                login(exchange);
            } else if (path.startsWith("/services/oauth2/revoke")) {
                served("revoke");
                send(exchange, 200, "");
            } else if (path.startsWith("/_fake/")) {
                inspect(exchange, path);
            } else if (path.startsWith("/cometd/")) {
                bayeux(exchange);
            } else if (path.startsWith("/services/data/")) {
                rest(exchange, path);
            } else {
                send(exchange, 404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "[{\"message\":" + JSON.writeValueAsString(String.valueOf(e.getMessage()))
                    + ",\"errorCode\":\"UNKNOWN_EXCEPTION\"}]");
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        served("login");
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        if (!grant.equals("client_credentials") && !grant.equals("password")) {
            send(exchange, 400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"grant type not supported\"}");
            return;
        }
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            send(exchange, 400, "{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}");
            return;
        }
        String token = ORG_ID + "!" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        sessions.put(token, Instant.now().plus(sessionLifetime));
        ObjectNode body = JSON.createObjectNode().put("access_token", token)
                .put("instance_url", instanceUrl == null ? url() : instanceUrl)
                .put("id", url() + "/id/" + ORG_ID + "/" + USER_ID).put("token_type", "Bearer")
                .put("issued_at", String.valueOf(System.currentTimeMillis()))
                .put("signature", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        send(exchange, 200, body.toString());
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return false;
        }
        String token = header.replaceFirst("^(Bearer|OAuth) ", "");
        Instant expiry = sessions.get(token);
        return expiry != null && Instant.now().isBefore(expiry);
    }

    // ---- the fake's own endpoints (no Salesforce API: for people watching a demo) ----

    /**
     * {@code GET /_fake/records/<type>}: the records of an object; {@code POST /_fake/change/<type>/<externalId>}
     * with a JSON object: a user's change in the org.
     */
    private void inspect(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.split("/");
        if (parts.length == 4 && parts[2].equals("records") && exchange.getRequestMethod().equals("GET")) {
            ArrayNode list = JSON.createArrayNode();
            objects.getOrDefault(parts[3], Map.of()).values().forEach(r -> list.add(withAttributes(parts[3], r)));
            send(exchange, 200, list.toString());
        } else if (parts.length == 5 && parts[2].equals("change") && exchange.getRequestMethod().equals("POST")) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (!(body instanceof ObjectNode fields) || !externalIdFields.containsKey(parts[3])) {
                send(exchange, 400, "{\"error\": \"POST a JSON object of fields to /_fake/change/<type>/<externalId>"
                        + " of a known type\"}");
                return;
            }
            String id = userChange(parts[3], URLDecoder.decode(parts[4], StandardCharsets.UTF_8), fields);
            send(exchange, 200, JSON.createObjectNode().put("id", id).toString());
        } else {
            send(exchange, 404, "{\"error\": \"GET /_fake/records/<type> or POST /_fake/change/<type>/<externalId>\"}");
        }
    }

    // ---- REST ----

    private void rest(HttpExchange exchange, String path) throws IOException {
        if (!authorized(exchange)) {
            served("401");
            send(exchange, 401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
            return;
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            served("5xx");
            send(exchange, failStatus, "[{\"message\":\"Service Unavailable\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]");
            return;
        }
        String origin = "com/salesforce/api/rest/62.0" + callOptions(exchange);
        Matcher collection = COLLECTION.matcher(path);
        if (collection.matches() && exchange.getRequestMethod().equals("PATCH")) {
            upsertCollection(exchange, collection.group(1), collection.group(2), origin);
            return;
        }
        Matcher sobject = SOBJECT.matcher(path);
        if (sobject.matches() && exchange.getRequestMethod().equals("GET") && sobject.group(3) == null) {
            served("get");
            ObjectNode record = objects.getOrDefault(sobject.group(1), Map.of()).get(sobject.group(2));
            if (record == null) {
                send(exchange, 404, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]");
            } else {
                send(exchange, 200, withAttributes(sobject.group(1), record).toString());
            }
            return;
        }
        if (sobject.matches() && exchange.getRequestMethod().equals("PATCH") && sobject.group(3) != null) {
            served("upsert");
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String[] refusal = refusal(body);
            if (refusal != null) {
                send(exchange, 400, "[{\"message\":" + JSON.writeValueAsString(refusal[1]) + ",\"errorCode\":\""
                        + refusal[0] + "\",\"fields\":[]}]");
                return;
            }
            String value = URLDecoder.decode(sobject.group(3), StandardCharsets.UTF_8);
            Written written = write(sobject.group(1), sobject.group(2), value, (ObjectNode) body, origin);
            send(exchange, written.created() ? 201 : 200, JSON.createObjectNode().put("id", written.id())
                    .put("success", true).put("created", written.created()).set("errors", JSON.createArrayNode())
                    .toString());
            return;
        }
        send(exchange, 404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
    }

    private static String callOptions(HttpExchange exchange) {
        String options = exchange.getRequestHeaders().getFirst("Sforce-Call-Options");
        if (options == null) {
            return "";
        }
        Matcher client = Pattern.compile("client=([^,;]+)").matcher(options);
        return client.find() ? ";client=" + client.group(1) : "";
    }

    private void upsertCollection(HttpExchange exchange, String type, String field, String origin) throws IOException {
        served("upsert");
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        JsonNode records = body.path("records");
        if (!records.isArray() || records.size() > 200) {
            send(exchange, 400, "[{\"message\":\"records must be a list of at most 200 sObjects\",\"errorCode\":"
                    + "\"INVALID_FIELD\"}]");
            return;
        }
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode record : records) {
            if (!type.equals(record.path("attributes").path("type").asText())) {
                results.add(failure("INVALID_TYPE", "attributes.type must be " + type));
                continue;
            }
            String value = record.path(field).asText("");
            if (value.isEmpty()) {
                results.add(failure("REQUIRED_FIELD_MISSING", "Required fields are missing: [" + field + "]"));
                continue;
            }
            String[] refusal = refusal(record);
            if (refusal != null) {
                results.add(failure(refusal[0], refusal[1]));
                continue;
            }
            ObjectNode fields = ((ObjectNode) record).deepCopy();
            fields.remove("attributes");
            Written written = write(type, field, value, fields, origin);
            results.add(JSON.createObjectNode().put("id", written.id()).put("success", true)
                    .put("created", written.created()).set("errors", JSON.createArrayNode()));
            onApiWrite.accept(value);
        }
        send(exchange, 200, results.toString());
    }

    private String[] refusal(JsonNode record) {
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String[] refusal = refusals.get(field.getKey() + "=" + field.getValue().asText());
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    private static ObjectNode failure(String code, String message) {
        ObjectNode result = JSON.createObjectNode().put("success", false);
        result.putArray("errors").addObject().put("statusCode", code).put("message", message).putArray("fields");
        return result;
    }

    private record Written(String id, boolean created) {
    }

    /** Creates or updates a record by external id and publishes its change event. */
    private synchronized Written write(String type, String field, String value, ObjectNode fields, String origin) {
        Map<String, ObjectNode> records = objects.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        ObjectNode record = find(type, field, value);
        boolean created = record == null;
        List<String> changed = new ArrayList<>();
        List<String> nulled = new ArrayList<>();
        ObjectNode payload = JSON.createObjectNode();
        if (created) {
            record = JSON.createObjectNode();
            record.put("Id", newId(type));
            record.put(field, value);
            records.put(record.path("Id").asText(), record);
            byExternalId.put(type + "/" + field + "/" + value, record);
            record.put("CreatedDate", now());
            creationOrder.computeIfAbsent(type, t -> new java.util.ArrayDeque<>()).add(record.path("Id").asText());
            forgetOldest(type, field, records);
        }
        fields.remove("Id");
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode before = record.get(entry.getKey());
            if (before == null ? !entry.getValue().isNull() : !before.equals(entry.getValue())) {
                changed.add(entry.getKey());
                if (entry.getValue().isNull()) {
                    nulled.add(entry.getKey());
                } else {
                    payload.set(entry.getKey(), entry.getValue());
                }
            }
            record.set(entry.getKey(), entry.getValue());
        }
        record.put("LastModifiedDate", now());
        if (created) {
            payload.put(field, value);
            payload.put("CreatedDate", record.path("CreatedDate").asText());
            publish(type, "CREATE", record.path("Id").asText(), payload, List.of(), origin);
        } else if (!changed.isEmpty()) {
            payload.put("LastModifiedDate", record.path("LastModifiedDate").asText());
            changed.add("LastModifiedDate");
            publish(type, "UPDATE", record.path("Id").asText(), payload, nulled, origin, changed);
        }
        return new Written(record.path("Id").asText(), created);
    }

    private synchronized ObjectNode find(String type, String field, String value) {
        return byExternalId.get(type + "/" + field + "/" + value);
    }

    private String newId(String type) {
        String prefix = switch (type) {
            case "Account" -> "001";
            case "Contact" -> "003";
            case "Case" -> "500";
            default -> "a0" + (char) ('A' + Math.abs(type.hashCode()) % 26);
        };
        return prefix + "5e" + String.format("%010d", ids.getAndIncrement()) + "AAA";
    }

    private static String now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString().replace("Z", "+0000");
    }

    private static ObjectNode withAttributes(String type, ObjectNode record) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("attributes").put("type", type).put("url", "/services/data/v62.0/sobjects/" + type + "/"
                + record.path("Id").asText());
        out.setAll(record);
        return out;
    }

    /** The CDC channel of an object: {@code /data/AccountChangeEvent}, {@code /data/Payment__ChangeEvent}. */
    public static String channel(String type) {
        return "/data/" + (type.endsWith("__c") ? type.substring(0, type.length() - 1) : type) + "ChangeEvent";
    }

    private void publish(String type, String changeType, String id, ObjectNode fields, List<String> nulled,
            String origin) {
        publish(type, changeType, id, fields, nulled, origin, new ArrayList<>(fieldNames(fields)));
    }

    private void publish(String type, String changeType, String id, ObjectNode fields, List<String> nulled,
            String origin, List<String> changed) {
        long replayId = replayIds.incrementAndGet();
        ObjectNode header = JSON.createObjectNode();
        header.put("entityName", type);
        header.putArray("recordIds").add(id);
        header.put("changeType", changeType);
        header.put("changeOrigin", origin);
        header.put("transactionKey", UUID.randomUUID().toString());
        header.put("sequenceNumber", 1);
        header.put("commitTimestamp", System.currentTimeMillis());
        header.put("commitNumber", replayId * 1000);
        header.put("commitUser", USER_ID);
        ArrayNode changedFields = header.putArray("changedFields");
        changed.forEach(changedFields::add);
        ArrayNode nulledFields = header.putArray("nulledFields");
        nulled.forEach(nulledFields::add);
        header.putArray("diffFields");
        ObjectNode payload = JSON.createObjectNode();
        payload.set("ChangeEventHeader", header);
        payload.setAll(fields);
        ObjectNode message = JSON.createObjectNode();
        String channel = channel(type);
        message.put("channel", channel);
        ObjectNode data = message.putObject("data");
        data.put("schema", "fake-schema-" + type);
        data.set("payload", payload);
        data.putObject("event").put("replayId", replayId);
        synchronized (this) {
            events.addLast(new Event(channel, replayId, message));
            while (events.size() > RETAINED) {
                // The org keeps events for a while (three days); this fake keeps the newest ones.
                events.removeFirst();
                oldestRetained = events.peekFirst().replayId();
            }
        }
        for (Client client : clients.values()) {
            if (client.channels.containsKey(channel)) {
                client.queue.add(message);
            }
        }
    }

    private static List<String> fieldNames(ObjectNode fields) {
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- Bayeux (Streaming API) ----

    private void bayeux(HttpExchange exchange) throws IOException {
        JsonNode requests = JSON.readTree(exchange.getRequestBody());
        ArrayNode replies = JSON.createArrayNode();
        boolean authorized = authorized(exchange);
        for (JsonNode request : requests.isArray() ? requests : JSON.createArrayNode().add(requests)) {
            String channel = request.path("channel").asText();
            switch (channel) {
                case "/meta/handshake" -> replies.add(handshake(request, authorized));
                case "/meta/subscribe" -> replies.add(subscribe(request, authorized));
                case "/meta/unsubscribe" -> replies.add(reply(request, true));
                case "/meta/connect" -> connect(request, authorized, replies);
                case "/meta/disconnect" -> {
                    clients.remove(request.path("clientId").asText());
                    replies.add(reply(request, true));
                }
                default -> replies.add(reply(request, false).put("error", "400::Unknown channel"));
            }
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        send(exchange, 200, replies.toString());
    }

    private ObjectNode handshake(JsonNode request, boolean authorized) {
        served("handshake");
        ObjectNode reply = reply(request, authorized);
        if (!authorized) {
            reply.put("error", "403::Handshake denied");
            reply.putObject("ext").putObject("sfdc").put("failureReason", "401::Authentication invalid");
            reply.putObject("advice").put("reconnect", "none");
            return reply;
        }
        Client client = new Client();
        clients.put(client.id, client);
        reply.put("clientId", client.id).put("version", "1.0").put("minimumVersion", "1.0");
        reply.putArray("supportedConnectionTypes").add("long-polling");
        reply.putObject("advice").put("interval", 0).put("timeout", LONG_POLL.toMillis()).put("reconnect", "retry");
        reply.putObject("ext").put("replay", true).put("payload.format", true);
        return reply;
    }

    private ObjectNode subscribe(JsonNode request, boolean authorized) {
        served("subscribe");
        String subscription = request.path("subscription").asText();
        ObjectNode reply = reply(request, false).put("subscription", subscription);
        Client client = clients.get(request.path("clientId").asText());
        if (client == null) {
            reply.put("error", "403::Unknown client");
            reply.putObject("advice").put("reconnect", "handshake");
            return reply;
        }
        if (!authorized) {
            reply.put("error", "401::Authentication invalid");
            return reply;
        }
        JsonNode replay = request.path("ext").path("replay").path(subscription);
        long from = replay.isNumber() ? replay.asLong() : -1;
        long latest = replayIds.get();
        if (from < -2 || (from >= 0 && (from < oldestRetained - 1 || from > latest))) {
            reply.put("error", "400::The replayId {" + from + "} you provided was invalid.  Please provide a valid ID, "
                    + "-2 to replay all events, or -1 to replay only new events.");
            return reply;
        }
        synchronized (this) {
            if (from != -1) {
                for (Event event : events) {
                    if (event.channel().equals(subscription) && event.replayId() > from) {
                        client.queue.add(event.message());
                    }
                }
            }
            client.channels.put(subscription, true);
        }
        return reply.put("successful", true);
    }

    private void connect(JsonNode request, boolean authorized, ArrayNode replies) {
        served("connect");
        Client client = clients.get(request.path("clientId").asText());
        if (client == null) {
            replies.add(reply(request, false).put("error", "403::Unknown client")
                    .set("advice", JSON.createObjectNode().put("reconnect", "handshake").put("interval", 0)));
            return;
        }
        if (!authorized) {
            clients.remove(client.id);
            replies.add(reply(request, false).put("error", "401::Authentication invalid")
                    .set("advice", JSON.createObjectNode().put("reconnect", "handshake").put("interval", 0)));
            return;
        }
        try {
            ObjectNode first = client.queue.poll(LONG_POLL.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                replies.add(first);
                ObjectNode next;
                // A connect answers a bounded batch (the client buffers at most 1 MB); the rest waits for the next.
                while (replies.size() < EVENTS_PER_CONNECT && (next = client.queue.poll()) != null) {
                    replies.add(next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replies.add(reply(request, true).set("advice", JSON.createObjectNode().put("interval", 0)
                .put("timeout", LONG_POLL.toMillis()).put("reconnect", "retry")));
    }

    private static ObjectNode reply(JsonNode request, boolean successful) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("channel", request.path("channel").asText());
        if (request.has("id")) {
            reply.set("id", request.get("id"));
        }
        if (request.has("clientId")) {
            reply.set("clientId", request.get("clientId"));
        }
        reply.put("successful", successful);
        return reply;
    }

    // ---- plumbing ----

    private void served(String kind) {
        counts.served(kind);
    }

    private static Map<String, String> form(String text) {
        return LoopbackServer.form(text);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        LoopbackServer.send(exchange, status, "application/json;charset=UTF-8", body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
