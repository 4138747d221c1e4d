package org.meshledger.connect.dynamics;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * A Dataverse environment on loopback that speaks the part of the Web API (OData v4) the connector
 * uses, as Microsoft documents it: an OAuth 2.0 token endpoint for client credentials
 * ({@code /<tenant>/oauth2/v2.0/token}); {@code GET /api/data/v9.2/<set>?$select=...} with
 * {@code Prefer: odata.track-changes, odata.maxpagesize=N}, answering pages with
 * {@code @odata.nextLink} and, last, {@code @odata.deltaLink}, and for a delta link the records
 * changed since (with {@code $deletedEntity} entries for deleted ones); {@code PATCH} and
 * {@code DELETE} of {@code <set>(<altkey>='<value>')} with {@code If-Match: *} (update only, 404)
 * and {@code If-None-Match: *} (create only, 412), answering 204 with {@code OData-EntityId};
 * bearer tokens that expire (401), service protection throttling (429 with {@code Retry-After}),
 * errors as {@code {"error": {"code", "message"}}}. Tests make it fail on purpose.
 */
public final class FakeDataverse implements AutoCloseable {

    public static final String TENANT = "meshledger-demo-tenant";
    /** DEMO credentials of the fake's application user. */
    public static final String CLIENT_ID = "meshledger-dataverse-client";
    public static final String CLIENT_SECRET = "demo-dataverse-secret-not-for-production";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern KEYED = Pattern.compile("^/api/data/v9\\.2/([A-Za-z0-9_]+)\\((.*)\\)$");
    private static final Pattern SET = Pattern.compile("^/api/data/v9\\.2/([A-Za-z0-9_]+)$");

    /** One table: rows by their GUID, the alternate key, and the change log. */
    private static final class Table {
        final String primaryId;
        final String alternateKey;
        final Map<String, ObjectNode> rows = new LinkedHashMap<>();
        final Map<String, String> byKey = new HashMap<>();
        /** guid -> version of its deletion */
        final Map<String, Long> deletedAt = new LinkedHashMap<>();

        Table(String primaryId, String alternateKey) {
            this.primaryId = primaryId;
            this.alternateKey = alternateKey;
        }
    }

    private final HttpServer server;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong(1000);
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile long oldestDeltaToken = 0;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;
    private final AtomicInteger malformedNext = new AtomicInteger();
    private final AtomicInteger foreignLinksNext = new AtomicInteger();
    private volatile String foreignBase;
    private final AtomicInteger slowNext = new AtomicInteger();
    private volatile Duration slowBy = Duration.ZERO;
    /** The most rows a table keeps; past it the oldest go (a demo's bounded memory). */
    private volatile int maxRows = Integer.MAX_VALUE;
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private final LoopbackServer.Counts counts = new LoopbackServer.Counts();
    private volatile java.util.function.Consumer<String> onApiWrite = key -> { };

    private FakeDataverse(int port) throws IOException {
        this.server = LoopbackServer.start(port, "fake-dataverse", 4, this::handle);
    }

    /** Starts on the port (0: any free one) of 127.0.0.1. */
    public static FakeDataverse start(int port) throws IOException {
        return new FakeDataverse(port);
    }

    /** The environment's URL, as a connector's {@code url} setting. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String tokenUrl() {
        return url() + "/" + TENANT + "/oauth2/v2.0/token";
    }

    /** A table with change tracking on, its primary id column and its alternate key column. */
    public FakeDataverse table(String entitySet, String primaryId, String alternateKey) {
        tables.put(entitySet, new Table(primaryId, alternateKey));
        return this;
    }

    // ---- what users of the environment do, and what it holds ----

    /**
     * Keeps at most this many rows per table, dropping the oldest created as new ones come (without
     * a deletion in the change log: they are forgotten, not deleted), so a long demo's memory stays
     * bounded. Tests keep every row (the default).
     */
    public FakeDataverse retain(int rowsPerTable) {
        if (rowsPerTable < 1) {
            throw new IllegalArgumentException("a table keeps at least one row");
        }
        this.maxRows = rowsPerTable;
        return this;
    }

    /** Forgets the oldest rows of a table over the bound (the caller holds this). */
    private void forgetOldest(Table table) {
        for (var it = table.rows.entrySet().iterator(); table.rows.size() > maxRows && it.hasNext(); ) {
            ObjectNode row = it.next().getValue();
            it.remove();
            table.byKey.remove(row.path(table.alternateKey).asText());
        }
    }

    /** A user creates or changes a record in Dynamics; returns its GUID. */
    public synchronized String userChange(String entitySet, String key, ObjectNode fields) {
        Table table = table(entitySet);
        String guid = table.byKey.get(key);
        ObjectNode row = guid == null ? null : table.rows.get(guid);
        if (row == null) {
            guid = UUID.randomUUID().toString();
            row = JSON.createObjectNode();
            row.put(table.primaryId, guid);
            row.put(table.alternateKey, key);
            table.rows.put(guid, row);
            table.byKey.put(key, guid);
            forgetOldest(table);
        }
        row.setAll(fields);
        touch(row);
        return guid;
    }

    public synchronized void userDelete(String entitySet, String key) {
        Table table = table(entitySet);
        String guid = table.byKey.remove(key);
        if (guid != null) {
            table.rows.remove(guid);
            table.deletedAt.put(guid, versions.incrementAndGet());
        }
    }

    /** A record as Dynamics holds it, by alternate key, or null. */
    public synchronized ObjectNode record(String entitySet, String key) {
        Table table = table(entitySet);
        String guid = table.byKey.get(key);
        return guid == null ? null : table.rows.get(guid).deepCopy();
    }

    /** The alternate keys of a table's records. */
    public synchronized List<String> keys(String entitySet) {
        return table(entitySet).byKey.keySet().stream().sorted().toList();
    }

    public synchronized int size(String entitySet) {
        return table(entitySet).rows.size();
    }

    /** Told the alternate key of every record written through the API (benchmarks time the writes). */
    public void onApiWrite(java.util.function.Consumer<String> listener) {
        onApiWrite = listener;
    }

    // ---- faults ----

    /** The next {@code n} API requests fail with this status (a 5xx). */
    public void failNext(int n, int status) {
        failStatus = status;
        failNext.set(n);
    }

    /** The next {@code n} API requests are throttled (429) with this Retry-After. */
    public void throttleNext(int n, int retryAfter) {
        retryAfterSeconds = retryAfter;
        throttleNext.set(n);
    }

    /** The next {@code n} reads answer a body that is not JSON. */
    public void malformedNext(int n) {
        malformedNext.set(n);
    }

    /**
     * The next {@code n} reads answer their {@code @odata.nextLink} or {@code @odata.deltaLink} on
     * another base URL (another host or port, e.g. a {@code DecoyServer}): a hostile or broken service
     * steering the client's token elsewhere.
     */
    public void foreignLinksNext(int n, String base) {
        foreignBase = base.replaceAll("/+$", "");
        foreignLinksNext.set(n);
    }

    /** The next {@code n} API requests answer only after this long (longer than a client's timeout). */
    public void slowNext(int n, Duration by) {
        slowBy = by;
        slowNext.set(n);
    }

    /** Tokens issued from now on live this long. */
    public void tokenLifetime(Duration lifetime) {
        tokenLifetime = lifetime;
    }

    /** Every token issued so far is expired (the next call with one answers 401). */
    public void expireTokens() {
        tokens.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    /** Delta links issued so far are no longer honoured (410 Gone): change tracking data was cleaned up. */
    public synchronized void forgetChanges() {
        oldestDeltaToken = versions.get() + 1;
    }

    /** A write that sets this field to this value is refused with a 400 and the message (a plug-in's rule). */
    public void refuse(String field, String value, String message) {
        refusals.put(field + "=" + value, message);
    }

    /** Writes are taken again whatever their values. */
    public void clearRefusals() {
        refusals.clear();
    }

    /** How many requests of a kind it answered: token, get, patch, delete, 401, 429, 5xx. */
    public int count(String kind) {
        return counts.count(kind);
    }

    // ---- the HTTP side ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/" + TENANT + "/oauth2/v2.0/token") && exchange.getRequestMethod().equals("POST")) {
                token(exchange);
                return;
            }
            if (path.startsWith("/_fake/")) {
                inspect(exchange, path);
                return;
            }
            if (!path.startsWith("/api/data/v9.2/")) {
                error(exchange, 404, "0x80060888", "Resource not found for the segment '" + path + "'.");
                return;
            }
            if (!authorized(exchange)) {
                served("401");
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\", "
                        + "authorization_uri=\"" + url() + "/" + TENANT + "/oauth2/authorize\"");
                error(exchange, 401, "0x80072182", "The user is not authenticated: the access token is missing, "
                        + "invalid or expired.");
                return;
            }
            if (slowNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                sleep(slowBy);
            }
            if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                served("429");
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
                error(exchange, 429, "0x80072322", "Number of requests exceeded the limit of 6000 over time window "
                        + "of 300 seconds.");
                return;
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                served("5xx");
                error(exchange, failStatus, "0x80040216", "An unexpected error occurred.");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> read(exchange, path);
                case "PATCH" -> upsert(exchange, path);
                case "DELETE" -> delete(exchange, path);
                default -> error(exchange, 405, "0x8006088a", "The HTTP method is not allowed here.");
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "0x80040216", String.valueOf(e.getMessage()));
        }
    }

    /**
     * The fake's own endpoints (no Dataverse API: for people watching a demo): {@code GET
     * /_fake/records/<set>}, and {@code POST /_fake/change/<set>/<key>} with a JSON object, a user's change.
     */
    private void inspect(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.split("/");
        if (parts.length == 4 && parts[2].equals("records") && exchange.getRequestMethod().equals("GET")
                && tables.containsKey(parts[3])) {
            ArrayNode list = JSON.createArrayNode();
            synchronized (this) {
                tables.get(parts[3]).rows.values().forEach(r -> list.add(r.deepCopy()));
            }
            send(exchange, 200, list.toString());
        } else if (parts.length == 5 && parts[2].equals("change") && exchange.getRequestMethod().equals("POST")
                && tables.containsKey(parts[3])) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (!(body instanceof ObjectNode fields)) {
                error(exchange, 400, "fake", "POST a JSON object of columns");
                return;
            }
            String guid = userChange(parts[3], URLDecoder.decode(parts[4], StandardCharsets.UTF_8), fields);
            send(exchange, 200, JSON.createObjectNode().put("id", guid).toString());
        } else {
            error(exchange, 404, "fake", "GET /_fake/records/<set> or POST /_fake/change/<set>/<key> of a known set");
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        served("token");
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            oauthError(exchange, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
            return;
        }
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            oauthError(exchange, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
            return;
        }
        String scope = form.getOrDefault("scope", "");
        if (!scope.endsWith("/.default")) {
            oauthError(exchange, 400, "invalid_scope", "AADSTS70011: The provided value for the input parameter "
                    + "'scope' is not valid.");
            return;
        }
        String token = "fake-dataverse-" + UUID.randomUUID();
        tokens.put(token, Instant.now().plus(tokenLifetime));
        ObjectNode body = JSON.createObjectNode().put("token_type", "Bearer")
                .put("expires_in", tokenLifetime.toSeconds()).put("ext_expires_in", tokenLifetime.toSeconds())
                .put("access_token", token);
        send(exchange, 200, body.toString());
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        Instant expiry = tokens.get(header.substring(7));
        return expiry != null && Instant.now().isBefore(expiry);
    }

    private void read(HttpExchange exchange, String path) throws IOException {
        served("get");
        Matcher set = SET.matcher(path);
        if (!set.matches() || !tables.containsKey(set.group(1))) {
            error(exchange, 404, "0x80060888", "Resource not found for the segment '" + path + "'.");
            return;
        }
        if (malformedNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, 200, "{\"@odata.context\": \"" + url() + "/api/data/v9.2/$metadata#" + set.group(1)
                    + "\", \"value\": [{\"broken");
            return;
        }
        String prefer = exchange.getRequestHeaders().getFirst("Prefer");
        if (prefer == null || !prefer.contains("odata.track-changes")) {
            error(exchange, 400, "0x80060888", "This fake answers change tracking requests only "
                    + "(Prefer: odata.track-changes).");
            return;
        }
        int pageSize = 5000;
        Matcher size = Pattern.compile("odata\\.maxpagesize=(\\d+)").matcher(prefer);
        if (size.find()) {
            pageSize = Math.min(5000, Integer.parseInt(size.group(1)));
        }
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String select = query.getOrDefault("$select", "");
        long since = Long.parseLong(query.getOrDefault("$deltatoken", "0"));
        if (query.containsKey("$deltatoken") && since < oldestDeltaToken) {
            error(exchange, 410, "0x80044352", "The delta token has expired: change tracking data older than it "
                    + "was cleaned up; retrieve the data again without a delta token.");
            return;
        }
        String skip = query.get("$skiptoken");
        synchronized (this) {
            Table table = tables.get(set.group(1));
            long upTo = skip == null ? versions.get() : Long.parseLong(skip.split(":")[0]);
            int offset = skip == null ? 0 : Integer.parseInt(skip.split(":")[1]);
            List<ObjectNode> changes = new ArrayList<>();
            for (ObjectNode row : table.rows.values()) {
                long version = row.path("versionnumber").asLong();
                if (version > since && (version <= upTo || skip == null)) {
                    changes.add(selected(row, select));
                }
            }
            changes.sort(java.util.Comparator.comparingLong(r -> r.path("versionnumber").asLong(0)));
            if (query.containsKey("$deltatoken")) {
                table.deletedAt.forEach((guid, version) -> {
                    if (version > since && version <= upTo) {
                        changes.add(JSON.createObjectNode().put("@odata.context", url() + "/api/data/v9.2/$metadata#"
                                + set.group(1) + "/$deletedEntity").put("id", guid).put("reason", "deleted"));
                    }
                });
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("@odata.context", url() + "/api/data/v9.2/$metadata#" + set.group(1) + "(" + select + ")"
                    + (query.containsKey("$deltatoken") ? "/$delta" : ""));
            ArrayNode value = body.putArray("value");
            changes.subList(Math.min(offset, changes.size()), Math.min(offset + pageSize, changes.size()))
                    .forEach(value::add);
            String origin = foreignLinksNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? foreignBase : url();
            String base = origin + "/api/data/v9.2/" + set.group(1) + "?$select=" + select
                    + (query.containsKey("$deltatoken") ? "&$deltatoken=" + since : "");
            if (offset + pageSize < changes.size()) {
                body.put("@odata.nextLink", base + "&$skiptoken=" + upTo + ":" + (offset + pageSize));
            } else {
                body.put("@odata.deltaLink", origin + "/api/data/v9.2/" + set.group(1) + "?$select=" + select
                        + "&$deltatoken=" + upTo);
            }
            send(exchange, 200, body.toString());
        }
    }

    private static ObjectNode selected(ObjectNode row, String select) {
        ObjectNode out = JSON.createObjectNode();
        out.put("@odata.etag", "W/\"" + row.path("versionnumber").asText() + "\"");
        if (select.isEmpty()) {
            out.setAll(row);
            return out;
        }
        for (String column : select.split(",")) {
            out.set(column, row.has(column) ? row.get(column) : JSON.nullNode());
        }
        return out;
    }

    private void upsert(HttpExchange exchange, String path) throws IOException {
        served("patch");
        Matcher keyed = KEYED.matcher(path);
        if (!keyed.matches() || !tables.containsKey(keyed.group(1))) {
            error(exchange, 404, "0x80060888", "Resource not found for the segment '" + path + "'.");
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            error(exchange, 400, "0x80048d19", "Error identified in Payload provided by the user for Entity: "
                    + e.getMessage());
            return;
        }
        if (!(body instanceof ObjectNode fields)) {
            error(exchange, 400, "0x80048d19", "The payload is not a JSON object.");
            return;
        }
        for (var field : fields.properties()) {
            String refusal = refusals.get(field.getKey() + "=" + field.getValue().asText());
            if (refusal != null) {
                error(exchange, 400, "0x80040265", refusal);
                return;
            }
        }
        synchronized (this) {
            Table table = tables.get(keyed.group(1));
            String guid = guid(table, keyed.group(2));
            boolean exists = guid != null && table.rows.containsKey(guid);
            String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            if ("*".equals(ifMatch) && !exists) {
                error(exchange, 404, "0x80040217", keyed.group(1) + " With Ids = " + keyed.group(2) + " Does Not Exist");
                return;
            }
            if ("*".equals(ifNoneMatch) && exists) {
                error(exchange, 412, "0x80040237", "A record with matching key values already exists.");
                return;
            }
            if (fields.has(table.alternateKey) && !fields.path(table.alternateKey).asText().equals(key(table,
                    keyed.group(2), guid))) {
                error(exchange, 400, "0x80048d19", "The alternate key in the payload differs from the one in the URL.");
                return;
            }
            ObjectNode row;
            if (exists) {
                row = table.rows.get(guid);
            } else {
                guid = UUID.randomUUID().toString();
                row = JSON.createObjectNode();
                row.put(table.primaryId, guid);
                String key = key(table, keyed.group(2), null);
                row.put(table.alternateKey, key);
                table.rows.put(guid, row);
                table.byKey.put(key, guid);
                forgetOldest(table);
            }
            row.setAll(fields);
            touch(row);
            exchange.getResponseHeaders().add("OData-EntityId", url() + "/api/data/v9.2/" + keyed.group(1) + "(" + guid
                    + ")");
            send(exchange, 204, null);
            onApiWrite.accept(row.path(table.alternateKey).asText());
        }
    }

    private void delete(HttpExchange exchange, String path) throws IOException {
        served("delete");
        Matcher keyed = KEYED.matcher(path);
        if (!keyed.matches() || !tables.containsKey(keyed.group(1))) {
            error(exchange, 404, "0x80060888", "Resource not found for the segment '" + path + "'.");
            return;
        }
        synchronized (this) {
            Table table = tables.get(keyed.group(1));
            String guid = guid(table, keyed.group(2));
            if (guid == null || !table.rows.containsKey(guid)) {
                error(exchange, 404, "0x80040217", keyed.group(1) + " With Ids = " + keyed.group(2) + " Does Not Exist");
                return;
            }
            userDelete(keyed.group(1), table.rows.get(guid).path(table.alternateKey).asText());
            send(exchange, 204, null);
        }
    }

    /** The row a key segment names: {@code <guid>} or {@code altkey='value'}. */
    private static String guid(Table table, String segment) {
        String decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (decoded.matches("[0-9a-fA-F-]{36}")) {
            return decoded;
        }
        return table.byKey.get(key(table, segment, null));
    }

    private static String key(Table table, String segment, String guid) {
        if (guid != null && table.rows.containsKey(guid)) {
            return table.rows.get(guid).path(table.alternateKey).asText();
        }
        String decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("^" + Pattern.quote(table.alternateKey) + "='(.*)'$").matcher(decoded);
        if (!m.matches()) {
            throw new IllegalArgumentException("the key segment names no alternate key " + table.alternateKey
                    + ": " + decoded);
        }
        return m.group(1).replace("''", "'");
    }

    private void touch(ObjectNode row) {
        row.put("versionnumber", versions.incrementAndGet());
        row.put("modifiedon", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    }

    private Table table(String entitySet) {
        Table table = tables.get(entitySet);
        if (table == null) {
            throw new IllegalArgumentException("no table " + entitySet);
        }
        return table;
    }

    private void served(String kind) {
        counts.served(kind);
    }

    private static Map<String, String> form(String text) {
        return LoopbackServer.form(text);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        send(exchange, status, body.toString());
    }

    private static void oauthError(HttpExchange exchange, int status, String error, String description)
            throws IOException {
        send(exchange, status, JSON.createObjectNode().put("error", error).put("error_description", description)
                .toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().add("OData-Version", "4.0");
        LoopbackServer.send(exchange, status, "application/json; odata.metadata=minimal", body);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
