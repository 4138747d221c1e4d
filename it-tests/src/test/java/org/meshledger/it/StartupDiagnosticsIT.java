package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.meshledger.stack.Ports;
import org.meshledger.stack.WildFlyServer;

/**
 * Bad configuration is reported in one sentence, at start-up or in health, never as a bare stack
 * trace. Each case starts a second server from the same installation, with the suite's PostgreSQL and
 * Keycloak and one setting wrong.
 */
@MeshLedgerIT
class StartupDiagnosticsIT {

    @Test
    void wrongDatabaseCredentialsStopTheStartWithAClearMessage() throws IOException {
        try (WildFlyServer server = startWith("wrong-password", Map.of("MESHLEDGER_DB_PASSWORD", "not-the-password"))) {
            String failure = server.bootFailure();

            assertNotNull(failure, "the deployment must fail");
            assertTrue(failure.startsWith("MeshLedger cannot start: the database refused MeshLedger's credentials"),
                    failure);
            assertTrue(failure.contains("password authentication failed"), failure);
            assertTrue(failure.contains("MESHLEDGER_DB_PASSWORD"), failure);
            assertEquals(503, server.readiness().statusCode(), "and the server is not ready");
        }
    }

    @Test
    void aLedgerWhoseSigningKeyIsMissingIsNotSignedWithANewOne() throws IOException {
        // The suite's ledger holds a block at least.
        String borrower = "B-KEY" + Long.toString(System.nanoTime(), 36).toUpperCase();
        new WebClient().commit(Tokens.system("servicer"), """
                {"operations": [{"op": "create", "type": "Borrower", "id": "%s", "data": {"borrowerId": "%s",
                 "fullName": "Kim Key"}}]}""".formatted(borrower, borrower));
        Path missing = TestStack.work().resolve("servers/no-key/missing-key.pem");
        try (WildFlyServer server = startWith("no-key", Map.of("MESHLEDGER_NODE_SIGNING_KEY_FILE", missing.toString()))) {
            String failure = server.bootFailure();
            assertNotNull(failure, "the deployment must fail");
            assertTrue(failure.startsWith("MeshLedger cannot start: the ledger cannot be opened: the ledger holds"),
                    failure);
            assertTrue(failure.contains("signing key " + missing + " is missing"), failure);
            assertFalse(Files.exists(missing), "no new key was made");
        }
    }

    @Test
    void anUnreachableDatabaseStopsTheStartWithAClearMessage() throws IOException {
        int nothingListens = Ports.free();
        try (WildFlyServer server = startWith("no-database",
                Map.of("MESHLEDGER_DB_URL", "jdbc:postgresql://127.0.0.1:" + nothingListens + "/meshledger"))) {
            String failure = server.bootFailure();

            assertNotNull(failure, "the deployment must fail");
            assertTrue(failure.startsWith("MeshLedger cannot start: cannot reach the database"), failure);
            assertTrue(failure.contains("MESHLEDGER_DB_URL"), failure);
        }
    }

    @Test
    void anUnreachableKeycloakShowsInReadinessWithTheReason() throws IOException {
        String nowhere = "http://127.0.0.1:" + Ports.free() + "/realms/mortgage-network";
        try (WildFlyServer server = startWith("no-keycloak", Map.of("MESHLEDGER_OIDC_PROVIDER_URL", nowhere))) {
            assertNull(server.bootFailure(), "the node starts: Keycloak may come later");

            HttpResponse<String> ready = server.readiness();
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode health = Json.parse(ready.body());
            JsonNode keycloak = SmokeIT.check(health, "keycloak");
            assertEquals("DOWN", keycloak.get("status").asText());
            assertTrue(keycloak.get("data").get("reason").asText().startsWith("cannot reach the identity provider"),
                    keycloak.toString());
            assertEquals("UP", SmokeIT.check(health, "database").get("status").asText());
        }
    }

    private static WildFlyServer startWith(String name, Map<String, String> wrongSettings) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MESHLEDGER_DB_URL", TestStack.database().jdbcUrl());
        env.put("MESHLEDGER_DB_USER", "meshledger");
        env.put("MESHLEDGER_DB_PASSWORD", "meshledger");
        env.put("MESHLEDGER_OIDC_PROVIDER_URL", TestStack.keycloak().realmUrl());
        // A second node on the suite's database must not publish or consume the suite's topics.
        env.put("MESHLEDGER_KAFKA_BOOTSTRAP_SERVERS", "");
        // Nor sync the suite's systems (its file depot, its CRM fakes).
        env.put("MESHLEDGER_CONNECTORS_FILE", "");
        // A second server on the suite's database is the same node: it signs with the same key.
        env.put("MESHLEDGER_NODE_SIGNING_KEY_FILE", TestStack.work().resolve("wildfly/data/meshledger/node-signing-key.pem")
                .toString());
        env.putAll(wrongSettings);
        Path base = WildFlyServer.copyBaseDirectory(TestStack.serverHome(), TestStack.work().resolve("servers/" + name));
        return WildFlyServer.start(TestStack.serverHome(), base, Ports.free(), Ports.free(), env,
                TestStack.work().resolve("logs/server-" + name + ".log"));
    }
}
