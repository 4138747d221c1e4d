package org.meshledger.stack;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Measures the write path over HTTP: single-record transactions POSTed to {@code /api/transactions}
 * with a system's bearer token, as fast as the node answers with a bounded number in flight, against
 * the provisioned server with its own PostgreSQL and Keycloak on free ports. Run it with the command
 * in docs/performance.md.
 */
public final class HttpBenchmark {

    private HttpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int transactions = Integer.getInteger("transactions", 20_000);
        int inFlight = Integer.getInteger("inFlight", 256);
        Path work = Path.of("target/http-benchmark").toAbsolutePath();
        Path serverHome = Path.of(System.getProperty("meshledger.server.home"));
        int http = Ports.free();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("postgres/data-" + System.nanoTime()),
                work.resolve("postgres/binaries"), Ports.free(), work.resolve("logs/postgres.log"));
                KeycloakServer keycloak = KeycloakServer.start(Path.of(System.getProperty("meshledger.keycloak.dist")),
                        work.resolve("keycloak"), Ports.free(), Map.of("MESHLEDGER_HTTP_PORT", String.valueOf(http)),
                        work.resolve("logs/keycloak.log"));
                WildFlyServer server = WildFlyServer.start(serverHome,
                        WildFlyServer.copyBaseDirectory(serverHome, work.resolve("wildfly-" + System.nanoTime())), http,
                        Ports.free(), Map.of("MESHLEDGER_DB_URL", database.jdbcUrl(),
                                "MESHLEDGER_OIDC_PROVIDER_URL", keycloak.realmUrl()),
                        work.resolve("logs/wildfly.log"))) {
            server.awaitReady(Duration.ofMinutes(2));
            DemoRealm.DemoSystem servicer = DemoRealm.load().systems().stream()
                    .filter(s -> s.party().equals("servicer")).findFirst().orElseThrow();
            String token = token(keycloak, servicer);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String url = server.baseUrl() + "/api/transactions";
            System.out.printf("MeshLedger HTTP benchmark: %d single-record transactions, %d in flight, %d cores%n",
                    transactions, inFlight, Runtime.getRuntime().availableProcessors());
            run(client, url, token, Math.min(4_000, transactions / 4), inFlight, "warm-up");
            run(client, url, token, transactions, inFlight, "http");
        }
    }

    private static void run(HttpClient client, String url, String token, int count, int inFlight, String label)
            throws InterruptedException {
        long[] latencies = new long[count];
        AtomicInteger failed = new AtomicInteger();
        Semaphore window = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            window.acquire();
            int index = i;
            String id = ("PAY-" + label + "-" + i).toUpperCase();
            String body = """
                    {"operations": [{"op": "create", "type": "Payment", "id": "%s", "data": {"paymentId": "%s",
                     "loanNumber": "L-1", "dueDate": "2026-11-01", "scheduledAmount": {"amount": "1944.35",
                     "currency": "USD"}, "status": "scheduled"}}]}""".formatted(id, id);
            long sent = System.nanoTime();
            client.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        latencies[index] = System.nanoTime() - sent;
                        if (failure != null || response.statusCode() != 201) {
                            failed.incrementAndGet();
                        }
                        window.release();
                        done.countDown();
                    });
        }
        done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        System.out.printf("%-8s %7d tx in %6.2f s = %8.0f tx/s committed; latency p50 %6.1f ms, p99 %6.1f ms; "
                + "%d not 201%n", label, count, seconds, count / seconds, latencies[count / 2] / 1e6,
                latencies[(int) (count * 0.99)] / 1e6, failed.get());
    }

    private static String token(KeycloakServer keycloak, DemoRealm.DemoSystem system) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(system.clientId(),
                StandardCharsets.UTF_8) + "&client_secret=" + URLEncoder.encode(system.secret(), StandardCharsets.UTF_8);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(keycloak.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(answer.body()).get("access_token").asText();
    }
}
