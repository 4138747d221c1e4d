package org.meshledger.connect.dynamics;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Dataverse Web API (OData v4) as the connector uses it: an OAuth access token by client
 * credentials (renewed before it expires, and once more when the service answers 401), change
 * tracking pages, and upserts by alternate key. It waits out throttling (429 with
 * {@code Retry-After}) up to a bound; what the service cannot answer now (5xx, timeouts, the network,
 * throttling past the bound) is a {@link DataverseUnavailableException}, and a record it refuses a
 * {@link DataverseRefusedException} with its error code and message.
 *
 * <p>The token goes only where the settings say: every request's URL must be under the configured
 * environment's Web API root (same scheme, host and port, the path under {@code /api/data/vX.Y/});
 * next and delta links come from answers, so a link that leaves it is refused before anything is
 * sent ({@link DataverseUntrustedLinkException}). The token endpoint is only ever the configured
 * {@code tokenUrl}, never a URL from an answer.
 */
final class DataverseClient {

    /** One page of changes: records (the selected columns), deleted record ids, and where to go next. */
    record ChangePage(List<ObjectNode> records, List<String> deleted, String nextLink, String deltaLink) {
    }

    /** What an upsert did, and the record's id (from OData-EntityId). */
    record Upsert(String id, boolean created) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-fA-F-]{36})\\)\\s*$");
    private static final Duration TOKEN_MARGIN = Duration.ofSeconds(60);

    private final DataverseSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    DataverseClient(DataverseSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The first page of an entity set with change tracking: every record, then a delta link. */
    ChangePage firstPage(String entitySet, List<String> select) {
        return page(settings.api() + entitySet + "?$select=" + String.join(",", select));
    }

    /** A page behind a next link or a delta link (refused unless it is in the configured environment). */
    ChangePage page(String link) {
        URI target = trusted(link, "the link " + link);
        HttpResponse<String> response = send(() -> HttpRequest.newBuilder(target).GET()
                .header("Prefer", "odata.track-changes, odata.maxpagesize=" + settings.pageSize()), "reading " + link);
        if (response.statusCode() == 410 || (response.statusCode() == 400 && mentionsDeltaToken(response.body()))) {
            throw new DeltaLinkExpiredException(error(response).message());
        }
        if (response.statusCode() != 200) {
            throw refusedOrUnavailable(response, "reading " + link);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new DataverseUnavailableException("the answer to " + link + " is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.path("value").isArray()) {
            throw new DataverseUnavailableException("the answer to " + link + " has no \"value\" list");
        }
        List<ObjectNode> records = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (JsonNode item : body.path("value")) {
            if (item.path("@odata.context").asText("").endsWith("$deletedEntity")) {
                deleted.add(item.path("id").asText());
            } else if (item instanceof ObjectNode record) {
                records.add(record);
            }
        }
        String next = body.hasNonNull("@odata.nextLink") ? body.path("@odata.nextLink").asText() : null;
        String delta = body.hasNonNull("@odata.deltaLink") ? body.path("@odata.deltaLink").asText() : null;
        // Refused here, with the page: its records are not taken, and a delta link elsewhere is never kept.
        if (next != null) {
            trusted(next, "the @odata.nextLink " + next);
        }
        if (delta != null) {
            trusted(delta, "the @odata.deltaLink " + delta);
        }
        return new ChangePage(records, deleted, next, delta);
    }

    /**
     * Creates or updates the record with this alternate key. A record the connector knows is updated
     * ({@code If-Match: *}), and created again if it was deleted in the system meanwhile (the ledger
     * still has it); others are created ({@code If-None-Match: *}), and updated if the service says
     * one exists already.
     */
    Upsert upsert(String entitySet, String keyField, String keyValue, ObjectNode body, boolean known) {
        String url = settings.api() + entitySet + "(" + keyField + "='" + URLEncoder.encode(keyValue.replace("'", "''"),
                StandardCharsets.UTF_8).replace("+", "%20") + "')";
        String text = body.toString();
        String first = known ? "If-Match" : "If-None-Match";
        HttpResponse<String> response = patch(url, text, first);
        boolean created = !known;
        if (known && response.statusCode() == 404) {
            response = patch(url, text, "If-None-Match"); // deleted in the system meanwhile: create it again
            created = true;
        } else if (!known && response.statusCode() == 412) {
            response = patch(url, text, "If-Match"); // it exists already: update it
            created = false;
        }
        if (response.statusCode() != 204 && response.statusCode() != 200 && response.statusCode() != 201) {
            throw refusedOrUnavailable(response, "writing " + url);
        }
        String id = response.headers().firstValue("OData-EntityId").map(ENTITY_ID::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).orElse(null);
        return new Upsert(id, created);
    }

    /** Deletes the record with this alternate key; one that is gone already is fine. */
    void delete(String entitySet, String keyField, String keyValue) {
        String url = settings.api() + entitySet + "(" + keyField + "='" + URLEncoder.encode(keyValue.replace("'", "''"),
                StandardCharsets.UTF_8).replace("+", "%20") + "')";
        HttpResponse<String> response = send(() -> HttpRequest.newBuilder(URI.create(url)).DELETE(), "deleting " + url);
        if (response.statusCode() != 204 && response.statusCode() != 404) {
            throw refusedOrUnavailable(response, "deleting " + url);
        }
    }

    private HttpResponse<String> patch(String url, String body, String condition) {
        return send(() -> HttpRequest.newBuilder(URI.create(url)).method("PATCH",
                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json; charset=utf-8").header(condition, "*"), "writing " + url);
    }

    /**
     * A request with a valid token: renewed once on 401, throttling waited out up to the bound. Its URL
     * is checked first, whatever built it: the token goes to the configured environment only.
     */
    private HttpResponse<String> send(java.util.function.Supplier<HttpRequest.Builder> request, String what) {
        boolean renewed = false;
        Duration waited = Duration.ZERO;
        while (true) {
            HttpRequest.Builder builder = request.get();
            trusted(builder.copy().build().uri().toString(), "to send the token while " + what);
            HttpResponse<String> response = exchange(builder.timeout(settings.timeout())
                    .header("Authorization", "Bearer " + token(false)).header("Accept", "application/json")
                    .header("OData-MaxVersion", "4.0").header("OData-Version", "4.0").build(), what);
            if (response.statusCode() == 401 && !renewed) {
                token(true); // the token expired or was revoked: once more with a new one
                renewed = true;
                continue;
            }
            if (response.statusCode() == 429) {
                Duration pause = retryAfter(response);
                if (waited.plus(pause).compareTo(settings.maxThrottleWait()) > 0) {
                    throw new DataverseUnavailableException("throttled while " + what + " (429, Retry-After "
                            + pause.toSeconds() + " s) beyond " + settings.maxThrottleWait().toSeconds() + " s of waiting");
                }
                sleep(pause);
                waited = waited.plus(pause);
                continue;
            }
            if (response.statusCode() == 401) {
                throw new DataverseUnavailableException("401 while " + what + " even with a new token: "
                        + error(response).message() + " (check the application user's security roles)");
            }
            return response;
        }
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new DataverseUnavailableException("no answer within " + settings.timeout().toMillis() + " ms while "
                    + what);
        } catch (IOException e) {
            throw new DataverseUnavailableException("cannot reach Dataverse while " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataverseUnavailableException("interrupted while " + what);
        }
    }

    /** The access token, fetched by client credentials when there is none or it is about to expire. */
    private synchronized String token(boolean renew) {
        if (!renew && token != null && clock.instant().isBefore(tokenExpires.minus(TOKEN_MARGIN))) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + encode(settings.clientId()) + "&client_secret="
                + encode(settings.clientSecret()) + "&scope=" + encode(settings.scope());
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(settings.tokenUrl()))
                .timeout(settings.timeout()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), "signing in at " + settings.tokenUrl());
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (response.statusCode() != 200 || body == null || !body.hasNonNull("access_token")) {
            String reason = body == null ? "HTTP " + response.statusCode()
                    : body.path("error").asText("HTTP " + response.statusCode()) + ": "
                            + body.path("error_description").asText("");
            throw new DataverseUnavailableException("cannot sign in at " + settings.tokenUrl() + " as "
                    + settings.clientId() + ": " + reason);
        }
        token = body.path("access_token").asText();
        tokenExpires = clock.instant().plusSeconds(body.path("expires_in").asLong(3600));
        return token;
    }

    /**
     * The link as a URI if it is under the configured Web API root: the same scheme, host and port as
     * the environment's URL, no user info, and a path under {@code /api/data/vX.Y/} with no dot
     * segments (plain or percent-encoded). Otherwise a {@link DataverseUntrustedLinkException} naming
     * the host, and nothing is sent.
     *
     * @param what what the link is, for the message ("the @odata.nextLink https://...")
     */
    URI trusted(String link, String what) {
        return trusted(link, URI.create(settings.api()), what);
    }

    static URI trusted(String link, URI root, String what) {
        URI uri;
        try {
            uri = new URI(link);
        } catch (java.net.URISyntaxException e) {
            throw new DataverseUntrustedLinkException("refused " + what + ": not a URL (" + e.getReason()
                    + "); nothing was sent there");
        }
        String problem = null;
        if (!uri.isAbsolute() || uri.getHost() == null) {
            problem = "it names no host";
        } else if (!uri.getScheme().equalsIgnoreCase(root.getScheme())
                || !uri.getHost().equalsIgnoreCase(root.getHost()) || port(uri) != port(root)) {
            problem = "host " + origin(uri) + " is not the configured environment's " + origin(root);
        } else if (uri.getRawUserInfo() != null) {
            problem = "it carries user info (host " + origin(uri) + ")";
        } else {
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            String lower = path.toLowerCase(java.util.Locale.ROOT);
            if (!path.startsWith(root.getRawPath()) || lower.contains("/..") || lower.contains("/./")
                    || lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || path.contains("\\")) {
                problem = "its path on " + origin(uri) + " is not under the Web API root " + root.getRawPath();
            }
        }
        if (problem != null) {
            throw new DataverseUntrustedLinkException("refused " + what + ": " + problem
                    + "; nothing was sent there");
        }
        return uri;
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.orElse("1").trim())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataverseUnavailableException("interrupted while throttled");
        }
    }

    /** The service's error: {"error": {"code": "0x...", "message": "..."}}. */
    record ServiceError(String code, String message) {
    }

    static ServiceError error(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.path("error").isObject()) {
                return new ServiceError(body.path("error").path("code").asText("HTTP " + response.statusCode()),
                        body.path("error").path("message").asText(""));
            }
        } catch (JsonProcessingException e) {
            // not JSON: the status says it
        }
        String text = response.body() == null ? "" : response.body();
        return new ServiceError("HTTP " + response.statusCode(), text.length() > 200 ? text.substring(0, 200) : text);
    }

    private static boolean mentionsDeltaToken(String body) {
        String text = body == null ? "" : body.toLowerCase(java.util.Locale.ROOT);
        return text.contains("delta token") || text.contains("deltatoken");
    }

    private static RuntimeException refusedOrUnavailable(HttpResponse<String> response, String what) {
        ServiceError error = error(response);
        if (response.statusCode() >= 500 || response.statusCode() == 408) {
            return new DataverseUnavailableException(response.statusCode() + " while " + what + ": " + error.code()
                    + " " + error.message());
        }
        return new DataverseRefusedException(response.statusCode(), error.code(), error.message());
    }
}
