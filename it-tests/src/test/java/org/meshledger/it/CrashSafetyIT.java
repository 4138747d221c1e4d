package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.meshledger.stack.EmbeddedDatabase;
import org.meshledger.stack.Ports;
import org.meshledger.stack.WildFlyServer;

/**
 * A block is all or nothing: a server killed with SIGKILL under load, then restarted, still has every
 * transaction it acknowledged, and full verification passes. Runs its own server on its own database.
 */
@MeshLedgerIT
class CrashSafetyIT {

    @Test
    void everyAcknowledgedTransactionSurvivesAKill() throws Exception {
        String database = "crash_" + System.nanoTime();
        try (Connection c = TestStack.database().superuserConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database + " OWNER " + EmbeddedDatabase.USER);
        }
        Map<String, String> env = Map.of(
                "MESHLEDGER_DB_URL", "jdbc:postgresql://127.0.0.1:" + TestStack.database().port() + "/" + database,
                "MESHLEDGER_DB_USER", EmbeddedDatabase.USER,
                "MESHLEDGER_DB_PASSWORD", EmbeddedDatabase.DEMO_PASSWORD,
                "MESHLEDGER_OIDC_PROVIDER_URL", TestStack.keycloak().realmUrl(),
                // Its own topics: this node's ledger is not the suite's, and the suite's topics hold the suite's.
                "MESHLEDGER_KAFKA_TOPIC_PREFIX", database + ".",
                // Nor its connectors: the suite's systems sync with the suite's ledger.
                "MESHLEDGER_CONNECTORS_FILE", "");
        Path base = WildFlyServer.copyBaseDirectory(TestStack.serverHome(), TestStack.work().resolve("servers/crash"));
        int http = Ports.free();
        int management = Ports.free();

        List<String> acknowledged = new ArrayList<>();
        try (WildFlyServer server = WildFlyServer.start(TestStack.serverHome(), base, http, management, env,
                TestStack.work().resolve("logs/server-crash-1.log"))) {
            server.awaitReady(Duration.ofMinutes(2));
            acknowledged.addAll(loadUntilKilled(server, "http://127.0.0.1:" + http));
        }
        assertTrue(acknowledged.size() > 20, "the load got going before the kill: " + acknowledged.size());

        try (WildFlyServer server = WildFlyServer.start(TestStack.serverHome(), base, http, management, env,
                TestStack.work().resolve("logs/server-crash-2.log"))) {
            server.awaitReady(Duration.ofMinutes(2));
            WebClient web = new WebClient();
            String servicer = Tokens.system("servicer");
            for (String txId : acknowledged) {
                HttpResponse<String> tx = web.get("http://127.0.0.1:" + http + "/api/transactions/" + txId, servicer);
                assertEquals(200, tx.statusCode(), "acknowledged transaction " + txId + " is lost: " + tx.body());
                assertEquals("COMMITTED", Json.parse(tx.body()).get("status").asText());
            }
            HttpResponse<String> report = web.postJson("http://127.0.0.1:" + http + "/api/ledger/verifications",
                    Tokens.user("loan-owner", "party-admin"), "");
            JsonNode verification = Json.parse(report.body());
            assertTrue(verification.get("intact").asBoolean(), report.body());
            assertTrue(verification.get("transactions").asLong() >= acknowledged.size());
            HttpResponse<String> after = web.postJson("http://127.0.0.1:" + http + "/api/transactions", servicer,
                    "{\"operations\": [" + LedgerApiIT.createLoan("L-AFTER-CRASH", "B-1", null) + "]}");
            assertEquals(201, after.statusCode(), "the ledger goes on after the crash: " + after.body());
        }
    }

    /** Submits loans from four threads, kills the server after three seconds, returns what was acknowledged. */
    private static List<String> loadUntilKilled(WildFlyServer server, String baseUrl) throws Exception {
        String token = Tokens.system("servicer");
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                WebClient web = new WebClient();
                for (int i = 0; running.get(); i++) {
                    try {
                        HttpResponse<String> response = web.postJson(baseUrl + "/api/transactions", token,
                                "{\"operations\": [" + LedgerApiIT.createLoan("L-CRASH-" + writer + "-" + i, "B-1", null)
                                        + "]}");
                        if (response.statusCode() == 201) {
                            acknowledged.add(Json.parse(response.body()).get("txId").asText());
                        }
                    } catch (RuntimeException serverGone) {
                        return;
                    }
                }
            }));
        }
        Thread.sleep(3_000);
        server.kill();
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        return new ArrayList<>(acknowledged);
    }
}
