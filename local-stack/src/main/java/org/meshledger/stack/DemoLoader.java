package org.meshledger.stack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Loads the demo network ({@link DemoNetworkData}) through the node's REST API, as each party's
 * system, a few transactions in flight, reporting progress. Loading again is safe: every
 * transaction has an idempotency key, so a repeat answers as the first time and writes nothing.
 */
public final class DemoLoader {

    /** What a load did. */
    public record Result(int transactions, int written, int alreadyThere) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_FLIGHT = 8;
    private static final Duration TOKEN_REFRESH = Duration.ofMinutes(3);

    private final String apiUrl;
    private final String tokenUrl;
    private final Map<String, DemoRealm.DemoSystem> systems = new HashMap<>();
    private final Map<String, AtomicReference<Token>> tokens = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private record Token(String value, Instant fetched) {
    }

    /**
     * @param nodeUrl the node, e.g. {@code http://localhost:8080}
     * @param realmUrl the network realm, e.g. {@code http://127.0.0.1:8180/realms/mortgage-network}
     */
    public DemoLoader(String nodeUrl, String realmUrl) {
        this.apiUrl = nodeUrl.replaceAll("/+$", "") + "/api/transactions";
        this.tokenUrl = realmUrl + "/protocol/openid-connect/token";
        for (DemoRealm.DemoSystem system : DemoRealm.load().systems()) {
            systems.put(system.party(), system);
            tokens.put(system.party(), new AtomicReference<>());
        }
    }

    /**
     * @param progress told a line now and then
     * @throws StackException if the node refuses a transaction (the demo data no longer fits the schema)
     */
    public Result load(int loans, long seed, Consumer<String> progress) {
        int total = DemoNetworkData.count(loans, seed);
        Semaphore window = new Semaphore(IN_FLIGHT);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        int step = Math.max(1, total / 10);
        DemoNetworkData.generate(loans, seed, submission -> {
            if (failure.get() != null) {
                return;
            }
            window.acquireUninterruptibly();
            submit(submission, 0).whenComplete((answer, error) -> {
                try {
                    if (error != null) {
                        failure.compareAndSet(null, submission.idempotencyKey() + ": " + error.getMessage());
                    } else if (answer.statusCode() != 201 && answer.statusCode() != 202) {
                        failure.compareAndSet(null, submission.idempotencyKey() + " was refused (" + answer.statusCode()
                                + "): " + answer.body());
                    } else {
                        if (answer.headers().firstValue("Idempotent-Replayed").isPresent()) {
                            replayed.incrementAndGet();
                        }
                        int n = done.incrementAndGet();
                        if (n % step == 0 || n == total) {
                            progress.accept(String.format("demo network: %d of %d transactions (%d%%)", n,
                                    total, (int) (n * 100L / total)));
                        }
                    }
                } finally {
                    window.release();
                }
            });
        });
        window.acquireUninterruptibly(IN_FLIGHT);
        if (failure.get() != null) {
            throw new StackException("Loading the demo network stopped: " + failure.get());
        }
        return new Result(total, total - replayed.get(), replayed.get());
    }

    private CompletableFuture<HttpResponse<String>> submit(DemoNetworkData.Submission submission, int attempt) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(apiUrl)).timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + token(submission.party()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(submission.body()))).build();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(answer -> {
            // The ledger asks to come back when it is busy; the idempotency key makes the retry safe.
            if (answer.statusCode() == 503 && attempt < 10) {
                return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS))
                        .thenCompose(ignored -> submit(submission, attempt + 1));
            }
            return CompletableFuture.completedFuture(answer);
        });
    }

    /** A token of the party's system, fetched again before it expires. */
    private String token(String party) throws IOException {
        AtomicReference<Token> held = tokens.get(party);
        Token token = held.get();
        if (token == null || token.fetched().isBefore(Instant.now().minus(TOKEN_REFRESH))) {
            DemoRealm.DemoSystem system = systems.get(party);
            String form = "grant_type=client_credentials&client_id=" + enc(system.clientId()) + "&client_secret="
                    + enc(system.secret());
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new StackException("Keycloak refused the token of " + system.clientId() + ": " + answer.body());
                }
                token = new Token(JSON.readTree(answer.body()).get("access_token").asText(), Instant.now());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            held.set(token);
        }
        return token.value();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
