package org.meshledger.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.meshledger.stack.LoopbackCookieJar;

/**
 * A small browser for the tests: keeps cookies, does not follow redirects by itself (so tests can
 * look at each hop of a sign-in), and can follow them on request.
 */
final class WebClient {

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new LoopbackCookieJar())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    HttpResponse<String> get(String url, String bearerToken) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearerToken).GET());
    }

    HttpResponse<String> postJson(String url, String bearerToken, String json) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + bearerToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A GET of the node's API that must answer 200: its JSON. */
    com.fasterxml.jackson.databind.JsonNode json(String bearerToken, String path) {
        HttpResponse<String> response = get(TestStack.portalUrl() + path, bearerToken);
        org.junit.jupiter.api.Assertions.assertEquals(200, response.statusCode(), path + ": " + response.body());
        return Json.parse(response.body());
    }

    /** A transaction that must be committed (201). */
    void commit(String bearerToken, String transaction) {
        HttpResponse<String> response = postJson(TestStack.portalUrl() + "/api/transactions", bearerToken, transaction);
        org.junit.jupiter.api.Assertions.assertEquals(201, response.statusCode(), response.body());
    }

    HttpResponse<String> postForm(String url, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form))));
    }

    /** Follows redirects from a response until a page answers (at most ten hops). */
    HttpResponse<String> follow(HttpResponse<String> response) {
        HttpResponse<String> current = response;
        for (int hops = 0; hops < 10 && isRedirect(current); hops++) {
            current = get(current.uri().resolve(location(current)).toString());
        }
        return current;
    }

    static boolean isRedirect(HttpResponse<String> response) {
        return response.statusCode() >= 300 && response.statusCode() < 400;
    }

    static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("A redirect without Location from " + response.uri()));
    }

    private static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
